package dev.kronet.training.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.nn.Module;
import dev.kronet.training.loop.TinyRuns.ConvNet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillationTest {
  /** A teacher whose names cannot be confused with the student's. */
  private static final class Teacher extends Module {
    private final ConvNet inner;

    Teacher(long seed) {
      inner = registerModule("teacherNet", new ConvNet(6, seed, 0f));
    }

    @Override
    public Tensor forward(Tensor x) {
      return inner.forward(x);
    }
  }

  private static TrainConfig config(Path dir, double alpha) {
    return TinyRuns.config(dir).withEpochs(2).withDistillation(alpha, 3.0);
  }

  @Test
  void withAlphaZeroDistillationTrainsExactlyLikePlainCrossEntropy(@TempDir Path dir) {
    ConvNet plain = new ConvNet(4, 3, 0f);
    TinyRuns.trainer("student", plain, config(dir.resolve("ce"), 0.0)).fit();

    ConvNet alphaZero = new ConvNet(4, 3, 0f);
    TinyRuns.trainer("student", alphaZero, config(dir.resolve("kd0"), 0.0))
        .withTeacher(new Teacher(8))
        .fit();
    assertTrue(TinyRuns.sameState(plain.stateDict(), alphaZero.stateDict()));

    // Not vacuous: with α > 0 the teacher changes what the student learns.
    ConvNet mixed = new ConvNet(4, 3, 0f);
    TinyRuns.trainer("student", mixed, config(dir.resolve("kd5"), 0.5))
        .withTeacher(new Teacher(8))
        .fit();
    assertFalse(TinyRuns.sameState(plain.stateDict(), mixed.stateDict()));
  }

  @Test
  void theTeacherIsNeitherTrainedNorSaved(@TempDir Path dir) {
    Teacher teacher = new Teacher(8);
    Map<String, float[]> before = new java.util.LinkedHashMap<>();
    teacher.namedParameters().forEach((n, t) -> before.put(n, t.toArray()));
    ConvNet student = new ConvNet(4, 3, 0f);
    Path out = dir.resolve("run");
    TinyRuns.trainer("student", student, config(out, 0.7)).withTeacher(teacher).fit();

    teacher
        .namedParameters()
        .forEach(
            (n, t) -> {
              assertArrayEquals(before.get(n), t.toArray(), n);
              assertNull(t.grad(), n);
            });
    for (Path file : new Path[] {out.resolve(Trainer.LAST), out.resolve(Trainer.BEST)}) {
      for (String key : SafeTensors.read(file).tensors().keySet()) {
        assertFalse(key.contains("teacherNet"), key);
        String name = key.substring(key.indexOf('.') + 1);
        assertTrue(
            key.startsWith("model.") && student.stateDict().containsKey(name)
                || key.startsWith("optim.") && student.namedParameters().containsKey(name),
            key);
      }
    }
  }
}
