import dev.agora.testing.models.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@code identity_<datatype>.onnx} for each OIP datatype named after the directory, with the
 * project's generator ({@link TestModels#identity(String)}). conftest.py runs it as a single-file
 * source program for the identity models that {@code GenerateTestModels} leaves out (UINT16,
 * UINT32, UINT64: ONNX Runtime's Java API cannot feed them directly; the server rewrites them).
 *
 * <p>Usage: {@code java -cp <testing jar>:<app jar> WriteIdentityModels.java DIR UINT16 ...}
 */
public final class WriteIdentityModels {
  private WriteIdentityModels() {}

  /** Writes the models; prints each written path. */
  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    for (int i = 1; i < args.length; i++) {
      String name = "identity_" + args[i].toLowerCase(Locale.ROOT) + ".onnx";
      System.out.println(Files.write(directory.resolve(name), TestModels.identity(args[i])));
    }
  }
}
