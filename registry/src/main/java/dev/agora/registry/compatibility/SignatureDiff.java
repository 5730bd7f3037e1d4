package dev.agora.registry.compatibility;

import dev.agora.proto.registry.v1.Signature;
import dev.agora.proto.registry.v1.SignatureChange;
import dev.agora.proto.registry.v1.TensorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists the differences between a baseline signature and a candidate: inputs first, then outputs,
 * each in the candidate's order. A tensor removed at one position and another added at the same
 * position with the same datatype and shape is reported as a rename.
 */
public final class SignatureDiff {

  private SignatureDiff() {}

  /** Every difference from {@code baseline} to {@code candidate}, compatible ones included. */
  public static List<SignatureChange> between(Signature baseline, Signature candidate) {
    List<SignatureChange> changes = new ArrayList<>();
    compare(TensorRole.INPUT, baseline.getInputsList(), candidate.getInputsList(), changes);
    compare(TensorRole.OUTPUT, baseline.getOutputsList(), candidate.getOutputsList(), changes);
    return changes;
  }

  /** Whether any of the changes breaks callers. */
  public static boolean anyBreaking(List<SignatureChange> changes) {
    return changes.stream().anyMatch(SignatureChange::getBreaking);
  }

  private static void compare(
      TensorRole role, List<TensorSpec> before, List<TensorSpec> after, List<SignatureChange> out) {
    Map<String, TensorSpec> previous = byName(before);
    Map<String, TensorSpec> current = byName(after);
    Set<String> renamedTo = new HashSet<>();
    for (int position = 0; position < before.size(); position++) {
      TensorSpec old = before.get(position);
      if (current.containsKey(old.getName())) {
        TensorDiff.compare(role, old, current.get(old.getName()), out);
        continue;
      }
      TensorSpec successor = renamedAt(position, old, after, previous);
      if (successor != null && renamedTo.add(successor.getName())) {
        String description = role.subject(old) + " renamed to `" + successor.getName() + "`";
        out.add(role.change(role.renamed(), old.getName(), description));
      } else {
        out.add(role.change(role.removed(), old.getName(), role.subject(old) + " removed"));
      }
    }
    for (TensorSpec added : after) {
      if (!previous.containsKey(added.getName()) && !renamedTo.contains(added.getName())) {
        out.add(role.change(role.added(), added.getName(), role.subject(added) + " added"));
      }
    }
  }

  /** The tensor that took {@code old}'s place under a new name, or null. */
  private static TensorSpec renamedAt(
      int position, TensorSpec old, List<TensorSpec> after, Map<String, TensorSpec> previous) {
    if (position >= after.size()) {
      return null;
    }
    TensorSpec candidate = after.get(position);
    boolean isNewName = !previous.containsKey(candidate.getName());
    boolean sameKind =
        candidate.getDatatype().equals(old.getDatatype())
            && candidate.getShapeList().equals(old.getShapeList());
    return isNewName && sameKind ? candidate : null;
  }

  private static Map<String, TensorSpec> byName(List<TensorSpec> tensors) {
    Map<String, TensorSpec> byName = new LinkedHashMap<>();
    tensors.forEach(tensor -> byName.putIfAbsent(tensor.getName(), tensor));
    return byName;
  }
}
