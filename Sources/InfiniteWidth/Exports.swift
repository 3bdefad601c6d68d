@_exported import NeuralKernels
@_exported import SphericalSpectra
