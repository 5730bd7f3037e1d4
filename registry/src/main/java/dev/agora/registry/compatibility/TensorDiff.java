package dev.agora.registry.compatibility;

import dev.agora.proto.registry.v1.SignatureChange;
import dev.agora.proto.registry.v1.SignatureRule;
import dev.agora.proto.registry.v1.TensorSpec;
import java.util.List;

/** The differences between two tensors of the same name: datatype, rank, then each dimension. */
final class TensorDiff {
  private static final long DYNAMIC = -1;

  private TensorDiff() {}

  static void compare(
      TensorRole role, TensorSpec before, TensorSpec after, List<SignatureChange> out) {
    String name = before.getName();
    if (!before.getDatatype().equals(after.getDatatype())) {
      out.add(
          role.change(
              role.datatypeChanged(),
              name,
              role.subject(name) + " " + before.getDatatype() + "→" + after.getDatatype()));
    }
    List<Long> oldShape = before.getShapeList();
    List<Long> newShape = after.getShapeList();
    if (oldShape.size() != newShape.size()) {
      out.add(
          role.change(
              role.rankChanged(),
              name,
              role.subject(name)
                  + " rank "
                  + oldShape.size()
                  + "→"
                  + newShape.size()
                  + " ("
                  + shape(oldShape)
                  + "→"
                  + shape(newShape)
                  + ")"));
      return;
    }
    for (int axis = 0; axis < oldShape.size(); axis++) {
      long was = oldShape.get(axis);
      long is = newShape.get(axis);
      if (was != is) {
        String description =
            role.subject(name) + " dimension " + axis + ": " + dim(was) + "→" + dim(is);
        out.add(role.change(dimRule(role, was, is), name, description));
      }
    }
  }

  private static SignatureRule dimRule(TensorRole role, long was, long is) {
    if (was == DYNAMIC) {
      return role.dimFixed();
    }
    return is == DYNAMIC ? role.dimDynamic() : role.dimChanged();
  }

  private static String dim(long size) {
    return size == DYNAMIC ? "dynamic" : Long.toString(size);
  }

  private static String shape(List<Long> dims) {
    return dims.toString().replace(" ", "");
  }
}
