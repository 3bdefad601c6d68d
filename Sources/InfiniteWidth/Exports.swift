@_exported import NeuralKernels
@_exported import SphericalSpectra
@_exported import KernelDynamics
@_exported import SamplePaths
@_exported import GPRegression
@_exported import SVGPlots
@_exported import TrainingDynamics
@_exported import LearningCurves
