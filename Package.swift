// swift-tools-version:6.0
// The reference library for infinitely wide neural networks: NNGP/NTK kernels,
// their Mercer spectra on spheres, their RKHS (Sobolev) classes, and sample paths.
import PackageDescription

let package = Package(
    name: "InfiniteWidth",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "InfiniteWidth", targets: ["InfiniteWidth"]),
        .executable(name: "rkhs", targets: ["rkhs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // C libraries from Debian packages, found through pkg-config.
        .systemLibrary(
            name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3",
            providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(
            name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Sources/CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),

        // Thin Swift wrappers over the C libraries; C types never leak past this module.
        .target(name: "_NumericalBackends", dependencies: ["CFFTW", "CGSL", "CLAPACKE"]),

        // Activations, dual maps, layer recursion, Gram matrices, finite networks. Pure Swift.
        .target(name: "_ParallelFill"),
        .target(name: "NeuralKernels", dependencies: ["_ParallelFill"]),

        // Mercer/Gegenbauer eigenvalues of dot-product kernels on spheres, multiplicities, asymptotics.
        .target(
            name: "SphericalSpectra",
            dependencies: ["NeuralKernels", "_NumericalBackends", "SVGPlots", "_ParallelFill"]),

        // Gaussian-process sample paths on great circles and their regularity.
        .target(name: "SamplePaths", dependencies: ["NeuralKernels", "_NumericalBackends", "SVGPlots"]),

        // Plain SVG charts (linear or log axes) for every module's plots.
        .target(name: "SVGPlots"),

        // Fixed points of the correlation map through depth (Tsuchida et al.).
        .target(name: "KernelDynamics", dependencies: ["NeuralKernels", "SVGPlots", "_ParallelFill"]),

        // Exact GP regression with network kernels, marginal-likelihood hyperparameters.
        .target(name: "GPRegression", dependencies: ["NeuralKernels", "_NumericalBackends", "_ParallelFill"]),

        // Training dynamics: kernel gradient descent of infinitely wide networks (mean and
        // covariance over initialisations at any time) and finite networks trained beside it.
        .target(
            name: "TrainingDynamics",
            dependencies: ["NeuralKernels", "SphericalSpectra", "_NumericalBackends", "_ParallelFill"]),

        // Learning curves of kernel ridge regression predicted from the spectrum, and simulated.
        .target(
            name: "LearningCurves",
            dependencies: [
                "NeuralKernels", "SphericalSpectra", "_NumericalBackends", "SVGPlots", "TrainingDynamics",
                "_ParallelFill",
            ]),

        // Umbrella: only @_exported imports.
        .target(
            name: "InfiniteWidth",
            dependencies: [
                "NeuralKernels", "KernelDynamics", "SamplePaths", "SphericalSpectra", "GPRegression", "SVGPlots",
                "LearningCurves", "TrainingDynamics",
            ]),

        // The command-line tool: thin, one file per subcommand.
        .executableTarget(
            name: "rkhs",
            dependencies: [
                "InfiniteWidth", "SVGPlots", "TrainingDynamics", "_ParallelFill",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmarks (make bench).
        .executableTarget(name: "KernelBenchmark", dependencies: ["NeuralKernels"], path: "Benchmarks/Kernels"),
        .executableTarget(
            name: "SpectrumBenchmark", dependencies: ["NeuralKernels", "SphericalSpectra"], path: "Benchmarks/Spectra"),
        .executableTarget(
            name: "PathBenchmark", dependencies: ["SamplePaths", "NeuralKernels", "_NumericalBackends"],
            path: "Benchmarks/Paths"),
        .executableTarget(
            name: "TrainingBenchmark", dependencies: ["TrainingDynamics", "NeuralKernels"], path: "Benchmarks/Training"),
        .executableTarget(
            name: "BottleneckBenchmark", dependencies: ["TrainingDynamics", "NeuralKernels"],
            path: "Benchmarks/Bottleneck"),
        .executableTarget(
            name: "ScalingBenchmark", dependencies: ["TrainingDynamics", "NeuralKernels"], path: "Benchmarks/Scaling"),
        .executableTarget(
            name: "RegressionBenchmark", dependencies: ["GPRegression", "NeuralKernels"], path: "Benchmarks/Regression"),

        // Shared test helpers (fixture loading, tolerances).
        .target(name: "_TestSupport", dependencies: ["NeuralKernels"]),

        .testTarget(
            name: "NeuralKernelsTests", dependencies: ["NeuralKernels", "_TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SamplePathsTests", dependencies: ["SamplePaths", "_NumericalBackends", "_TestSupport"]),
        .testTarget(name: "KernelDynamicsTests", dependencies: ["KernelDynamics", "_TestSupport"]),
        .testTarget(
            name: "GPRegressionTests", dependencies: ["GPRegression", "NeuralKernels", "_TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TrainingDynamicsTests",
            dependencies: [
                "TrainingDynamics", "NeuralKernels", "SphericalSpectra", "_NumericalBackends", "_TestSupport",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "NumericalBackendsTests", dependencies: ["_NumericalBackends"]),
        .testTarget(name: "ParallelFillTests", dependencies: ["_ParallelFill"]),
        .testTarget(
            name: "SphericalSpectraTests", dependencies: ["SphericalSpectra", "_NumericalBackends", "_TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "LearningCurvesTests",
            dependencies: [
                "LearningCurves", "SphericalSpectra", "NeuralKernels", "_NumericalBackends", "_TestSupport",
                "TrainingDynamics",
            ]),
        .testTarget(name: "SVGPlotsTests", dependencies: ["SVGPlots", "_TestSupport"]),
        .testTarget(name: "rkhsTests", dependencies: ["_TestSupport", "NeuralKernels"]),
    ]
)
