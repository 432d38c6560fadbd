package dev.kronet.engine.testing;

import dev.kronet.engine.kernel.Parallel;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each test (of the annotated class, or the annotated method) with kronet's loops on {@link
 * #value} threads, in a {@link Parallel#withThreads} scope opened before the test and closed after
 * it, whatever the test does. A method's annotation wins over its class's.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(WithThreads.Extension.class)
public @interface WithThreads {
  /** Threads for the test's loops. */
  int value();

  /** Opens and closes the scope around each test. */
  final class Extension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace SCOPES =
        ExtensionContext.Namespace.create(Extension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
      int threads =
          AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), WithThreads.class)
              .or(
                  () ->
                      AnnotationSupport.findAnnotation(
                          context.getRequiredTestClass(), WithThreads.class))
              .orElseThrow()
              .value();
      context.getStore(SCOPES).put("scope", Parallel.withThreads(threads));
    }

    @Override
    public void afterEach(ExtensionContext context) {
      Parallel.Scope scope = context.getStore(SCOPES).remove("scope", Parallel.Scope.class);
      if (scope != null) {
        scope.close();
      }
    }
  }
}
