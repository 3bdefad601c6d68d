/// Anything that learns functions on the sphere from samples: the kernel ridge regression of
/// the predicted curves (``KernelRidgeLearner``) and, once the training-dynamics module lands,
/// finite networks trained to convergence, so that their learning curves run through the same
/// ``LearningCurveSimulation``.
public protocol SupervisedLearner: Sendable {
    var name: String { get }
    /// Predictions at `test` of the functions learned from `training` (points on S^{d-1})
    /// with `labels[j]` the j-th task's labels at those points; one array per task.
    func predict(training: [[Double]], labels: [[Double]], test: [[Double]]) throws -> [[Double]]
}
