package dev.o2v.encoders.encoder;

/** A plain Java LSTM (gates i, f, g, o in PyTorch's order) that tests compare the engine with. */
final class ReferenceLstm {

  private ReferenceLstm() {}

  /**
   * Runs the recurrence from a zero state.
   *
   * @param inputs {@code [T][in]}
   * @param wih {@code [4h, in]} row-major
   * @param whh {@code [4h, h]} row-major
   * @param bih {@code [4h]}
   * @param bhh {@code [4h]}
   * @return the hidden state after each position, {@code [T][h]}
   */
  static double[][] run(
      double[][] inputs, double[] wih, double[] whh, double[] bih, double[] bhh, int hidden) {
    int dim = inputs.length == 0 ? 0 : inputs[0].length;
    double[] h = new double[hidden];
    double[] c = new double[hidden];
    double[][] states = new double[inputs.length][];
    for (int t = 0; t < inputs.length; t++) {
      double[] pre = new double[4 * hidden];
      for (int r = 0; r < 4 * hidden; r++) {
        pre[r] = bih[r] + bhh[r];
        for (int k = 0; k < dim; k++) {
          pre[r] += wih[r * dim + k] * inputs[t][k];
        }
        for (int k = 0; k < hidden; k++) {
          pre[r] += whh[r * hidden + k] * h[k];
        }
      }
      double[] next = new double[hidden];
      for (int j = 0; j < hidden; j++) {
        double in = sigmoid(pre[j]);
        double forget = sigmoid(pre[hidden + j]);
        double cell = Math.tanh(pre[2 * hidden + j]);
        double out = sigmoid(pre[3 * hidden + j]);
        c[j] = forget * c[j] + in * cell;
        next[j] = out * Math.tanh(c[j]);
      }
      h = next;
      states[t] = next;
    }
    return states;
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }
}
