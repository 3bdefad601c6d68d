@_exported import NeuralKernels
