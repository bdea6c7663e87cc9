package dev.o2v.core.hp;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The typed value of every key that parsed (given, or its default), plus which keys the user gave;
 * keys whose value failed to parse are absent so rules that need them are skipped.
 */
final class ParsedValues {

  private final Map<String, Object> values = new HashMap<>();
  private final Map<String, Object> raw = new HashMap<>();
  private final Set<String> given = new HashSet<>();
  private final Map<String, String> outOfRange = new HashMap<>();

  /** Records a key the user gave: its raw value, and its typed value (null if it failed). */
  void putGiven(String name, Object rawValue, Object typed) {
    given.add(name);
    raw.put(name, rawValue);
    if (typed != null) {
      values.put(name, typed);
    }
  }

  /**
   * Records a given integer that lies outside its key's range, with the violation to report
   * unless a cross-key rule accepts the value (see {@link EncoderResolver}).
   */
  void putOutOfRange(String name, Object rawValue, int typed, String violation) {
    putGiven(name, rawValue, typed);
    outOfRange.put(name, violation);
  }

  /** The range violation of a value kept by {@link #putOutOfRange}, if the key has one. */
  Optional<String> outOfRangeViolation(String name) {
    return Optional.ofNullable(outOfRange.get(name));
  }

  /** Drops the typed value of a key whose value turned out to be unusable. */
  void forget(String name) {
    values.remove(name);
  }

  /** Sets the typed value of a key the user did not give. */
  void putDefault(String name, Object typed) {
    if (given.contains(name)) {
      throw new IllegalStateException("default for given key " + name);
    }
    values.put(name, typed);
  }

  /** Whether a typed value is known for the key. */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** Whether all named keys have typed values. */
  boolean hasAll(String... names) {
    for (String name : names) {
      if (!values.containsKey(name)) {
        return false;
      }
    }
    return true;
  }

  boolean isGiven(String name) {
    return given.contains(name);
  }

  /** The raw value as the user gave it, shown in warnings. */
  Object raw(String name) {
    return raw.get(name);
  }

  int intOf(String name) {
    return (Integer) require(name);
  }

  double doubleOf(String name) {
    return (Double) require(name);
  }

  boolean boolOf(String name) {
    return (Boolean) require(name);
  }

  String textOf(String name) {
    return (String) require(name);
  }

  @SuppressWarnings("unchecked")
  List<ComparatorOp> comparatorsOf(String name) {
    return (List<ComparatorOp>) require(name);
  }

  private Object require(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw new IllegalStateException("no parsed value for " + name);
    }
    return value;
  }
}
