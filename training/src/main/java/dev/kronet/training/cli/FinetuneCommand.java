package dev.kronet.training.cli;

import dev.kronet.engine.KronetException;
import dev.kronet.training.loop.TrainResult;
import dev.kronet.training.loop.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Retrains a (compressed) model, optionally distilling from the uncompressed teacher. */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description = {
      "Retrain a model file (e.g. from compress), optionally distilling from a teacher.",
      "With --distill-from the loss is α·KD(T) + (1−α)·CE; the saved student never",
      "contains the teacher's weights."
    })
final class FinetuneCommand implements Callable<Integer> {
  @Option(names = "--model-file", required = true, description = "Model checkpoint to retrain.")
  Path modelFile;

  @Option(names = "--distill-from", description = "Teacher checkpoint for distillation.")
  Path teacher;

  @Option(names = "--alpha", description = "Distillation weight α (default: ${DEFAULT-VALUE}).")
  double alpha = 0.5;

  @Option(names = "--temperature", description = "Distillation T (default: ${DEFAULT-VALUE}).")
  double temperature = 4;

  @Option(names = "--resume", description = "Continue the run in --out from last.safetensors.")
  boolean resume;

  @Mixin DataOptions data;
  @Mixin TrainOptions train;

  @Override
  public Integer call() {
    ModelFiles.Loaded student = ModelFiles.load(modelFile);
    DataOptions.Data d = data.load(train.seed);
    Trainer t =
        new Trainer(
                student.spec().toJson(),
                student.model(),
                train.config().withDistillation(alpha, temperature),
                d.train(),
                d.test())
            .withTitle(
                student.spec().model()
                    + (student.spec().replacements().isEmpty() ? "" : " (compressed)")
                    + " on "
                    + d.name())
            .withTrainTransforms(d.trainTransforms())
            .withEvalTransforms(d.evalTransforms());
    if (teacher != null) {
      ModelFiles.Loaded tm = ModelFiles.load(teacher);
      if (tm.spec().numClasses() != student.spec().numClasses()) {
        throw new KronetException(
            "teacher "
                + teacher
                + " has "
                + tm.spec().numClasses()
                + " classes, the student "
                + student.spec().numClasses());
      }
      t = t.withTeacher(tm.model());
    }
    TrainResult r = resume ? t.resume() : t.fit();
    System.out.printf(
        Locale.ROOT,
        "best test top-1 %.2f%% (epoch %d); checkpoints: %s, %s%n",
        100 * r.bestValAccuracy(),
        r.bestEpoch(),
        r.best(),
        r.last());
    return 0;
  }
}
