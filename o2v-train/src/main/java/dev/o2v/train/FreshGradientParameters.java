package dev.o2v.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * <p>Before a weight's first read in a step the store calls a hook, which may wait for an update
 * of that weight still running ({@link HeldUpdates#awaitWeight}); it records the order of those
 * first reads ({@link #readOrder}).
 *
 * <p>Usage per step: {@link #beginStep}, forward and backward with this store, {@link #gradient}
 * for each weight, update, {@link #endStep}; then close the step's manager.
 */
final class FreshGradientParameters extends ParameterStore {

  private final Map<Parameter, NDArray> leaves = new IdentityHashMap<>();
  private final List<Parameter> readOrder = new ArrayList<>();
  private final Consumer<Parameter> beforeFirstRead;
  private NDManager stepManager;

  /**
   * Creates a store that hands out the weights themselves outside a step and calls {@code
   * beforeFirstRead} with each weight before the step's first leaf of it is made.
   */
  FreshGradientParameters(NDManager manager, Consumer<Parameter> beforeFirstRead) {
    super(manager, false);
    this.beforeFirstRead = beforeFirstRead;
  }

  /** Starts a step whose leaves and gradients live in {@code stepManager}. */
  void beginStep(NDManager stepManager) {
    leaves.clear();
    readOrder.clear();
    this.stepManager = stepManager;
  }

  /** Ends the step; its arrays are freed when the caller closes the step's manager. */
  void endStep() {
    leaves.clear();
    readOrder.clear();
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
    NDArray leaf = leaves.get(parameter);
    if (leaf == null) {
      beforeFirstRead.accept(parameter);
      leaf = freshLeaf(weight);
      leaves.put(parameter, leaf);
      readOrder.add(parameter);
    }
    return leaf;
  }

  /** Whether the network has read {@code parameter} in this step through this store. */
  boolean wasRead(Parameter parameter) {
    return leaves.containsKey(parameter);
  }

  /** The weights the network has read in this step through this store, in order of first read. */
  List<Parameter> readOrder() {
    return readOrder;
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
