package dev.kronet.engine.testing;

import dev.kronet.engine.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of test inputs for {@link Property}. {@code size} (1…{@link Property#MAX_SIZE})
 * scales how large a drawn value may be; the runner shrinks a failing case by replaying its seed at
 * smaller sizes. {@link #edgeCases()} are tried before any random case.
 */
@FunctionalInterface
public interface Gen<T> {
  T sample(Rng rng, int size);

  /** Values worth trying first (size 1, SIMD lane width ± 1, …). */
  default List<T> edgeCases() {
    return List.of();
  }

  /** A generator that draws like this one and tries {@code edges} first. */
  default Gen<T> withEdgeCases(List<T> edges) {
    Gen<T> self = this;
    return new Gen<>() {
      @Override
      public T sample(Rng rng, int size) {
        return self.sample(rng, size);
      }

      @Override
      public List<T> edgeCases() {
        return edges;
      }
    };
  }

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    Gen<T> self = this;
    List<U> edges = new ArrayList<>();
    for (T e : self.edgeCases()) {
      edges.add(f.apply(e));
    }
    Gen<U> mapped = (rng, size) -> f.apply(self.sample(rng, size));
    return mapped.withEdgeCases(edges);
  }

  /** Redraws (up to 1000 times) until {@code keep} holds; edge cases that fail it are dropped. */
  default Gen<T> filter(Predicate<? super T> keep) {
    Gen<T> self = this;
    Gen<T> filtered =
        (rng, size) -> {
          for (int i = 0; i < 1000; i++) {
            T v = self.sample(rng, size);
            if (keep.test(v)) {
              return v;
            }
          }
          throw new IllegalStateException("Gen.filter: no value passed the filter in 1000 draws");
        };
    return filtered.withEdgeCases(self.edgeCases().stream().filter(keep).toList());
  }

  /** Pairs of independent draws; edge cases are the pairs of edge cases (first with first, …). */
  static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<A, B, R> f) {
    Gen<R> g = (rng, size) -> f.apply(a.sample(rng, size), b.sample(rng, size));
    List<R> edges = new ArrayList<>();
    List<A> ea = a.edgeCases();
    List<B> eb = b.edgeCases();
    for (int i = 0; i < Math.min(ea.size(), eb.size()); i++) {
      edges.add(f.apply(ea.get(i), eb.get(i)));
    }
    return g.withEdgeCases(edges);
  }

  /** A generator built from a drawing function with no edge cases. */
  static <T> Gen<T> of(BiFunction<Rng, Integer, T> draw) {
    return draw::apply;
  }
}
