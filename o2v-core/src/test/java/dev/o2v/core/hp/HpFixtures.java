package dev.o2v.core.hp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the hyperparameter tests. */
final class HpFixtures {

  private HpFixtures() {}

  /** The smallest valid input: only the two required keys. */
  static Map<String, Object> minimal() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("enc0_max_seq_len", "20");
    raw.put("enc0_vocab_size", "1000");
    return raw;
  }

  /** The minimal input plus an independent hcnn encoder 1. */
  static Map<String, Object> independentEnc1() {
    Map<String, Object> raw = minimal();
    raw.put("enc1_network", "hcnn");
    raw.put("enc1_max_seq_len", "30");
    raw.put("enc1_vocab_size", "2000");
    return raw;
  }

  /** {@code base} with {@code pairs} (key, value, key, value, ...) added or replaced. */
  static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
    Map<String, Object> raw = new LinkedHashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      raw.put((String) pairs[i], pairs[i + 1]);
    }
    return raw;
  }

  /** Parses and collects warnings into {@code warnings}. */
  static Hyperparameters parse(Map<String, ?> raw, List<String> warnings) {
    return new HyperparameterParser(warnings::add).parse(raw);
  }

  /** Parses, failing the test on any warning-independent problem; warnings are dropped. */
  static Hyperparameters parse(Map<String, ?> raw) {
    return parse(raw, new ArrayList<>());
  }
}
