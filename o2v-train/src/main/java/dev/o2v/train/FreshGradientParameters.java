package dev.o2v.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A parameter store that gives the network, for one training step, a fresh leaf per trainable
 * weight that shares the weight's memory, so that backward writes each weight's gradient into a
 * new array that the update then consumes.
 *
 * <p>Backward adds a weight's new gradient into the gradient the weight already holds. When the
 * optimizer zeroes that gradient after each update, every step pays a full write to zero it and a
 * full read-add-write to accumulate into it: for the 1,024 × 1,024 × 3 weight of an hcnn layer
 * at SageMaker's default sizes that is four passes over 12 MB. A leaf created for this step has
 * no gradient yet, so the engine keeps the array backward produced as the leaf's gradient, and
 * the leaf and its gradient are freed with the step. The leaves are views of the weights' memory,
 * so updating a weight in place is seen by the next step's leaves.
 *
 * <p>Usage per step: {@link #beginStep}, forward and backward with this store, {@link #gradient}
 * for each weight, update, {@link #endStep}; then close the step's manager.
 */
final class FreshGradientParameters extends ParameterStore {

  private final Map<Parameter, NDArray> leaves = new IdentityHashMap<>();
  private NDManager stepManager;

  /** Creates a store that hands out the weights themselves outside a step. */
  FreshGradientParameters(NDManager manager) {
    super(manager, false);
  }

  /** Starts a step whose leaves and gradients live in {@code stepManager}. */
  void beginStep(NDManager stepManager) {
    leaves.clear();
    this.stepManager = stepManager;
  }

  /** Ends the step; its arrays are freed when the caller closes the step's manager. */
  void endStep() {
    leaves.clear();
    stepManager = null;
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    NDArray weight = parameter.getArray();
    if (stepManager == null
        || !training
        || !parameter.requiresGradient()
        || !weight.getDevice().equals(device)) {
      return super.getValue(parameter, device, training);
    }
    // One leaf per weight and step, so a weight read twice (tied tables) gets one gradient.
    return leaves.computeIfAbsent(parameter, p -> freshLeaf(weight));
  }

  /**
   * The gradient backward wrote for {@code parameter}'s leaf in this step, attached to the step's
   * manager; null when the network did not read the weight through this store or backward did not
   * reach it (then the weight's own gradient, if any, holds what backward wrote).
   */
  NDArray gradient(Parameter parameter) {
    NDArray leaf = leaves.get(parameter);
    if (leaf == null) {
      return null;
    }
    PtNDArray grad = JniUtils.getGradient((PtNDArray) leaf); // null when backward did not reach it
    if (grad != null) {
      grad.attach(stepManager);
    }
    return grad;
  }

  private NDArray freshLeaf(NDArray weight) {
    NDArray leaf = weight.stopGradient(); // same memory, no history, no gradient
    leaf.attach(stepManager);
    // Forward runs inside an NDScope; the leaf must outlive it until the update has read its
    // gradient, and is freed with the step's manager instead.
    NDScope.unregister(leaf);
    leaf.setRequiresGradient(true);
    return leaf;
  }
}
