"""RBF/ARD Gaussian-process baseline on the UCI suite, on exactly the splits rkhs regress uses.

For each data set folder (Hernandez-Lobato & Adams layout, see ../shared/data/uci/PROVENANCE.md)
and each of its first SPLITS standard splits: standardise inputs and target on the training part
(constant inputs map to 0, as in rkhs regress --uci), fit scikit-learn's
GaussianProcessRegressor with ConstantKernel * RBF(one length scale per input) + WhiteKernel
by maximising the marginal likelihood (L-BFGS-B, 1 + RESTARTS starts, RESTARTS default 2),
predict the test part with the noise included (return_std on a kernel with the WhiteKernel,
i.e. the predictive variance of a new observation), and score RMSE and the mean negative
log-likelihood in the target's original units, as rkhs does.

Large sets follow rkhs regress's protocol: training parts larger than MAX_TRAIN (default: no
limit; protein uses 5000, as rkhs --max-train) are subsampled with numpy's default_rng(split);
the hyperparameters are fitted on a further subsample of FIT_POINTS (default 2000, as rkhs
--fit-points; default_rng(1000 + split)), and the prediction then conditions on every kept
training point with the fitted kernel held fixed. Sizes and starts are stated in the JSON.

Writes notebooks-data/tsuchida/regression/sklearn-ard_<dataset>.json.
Run in a throwaway venv (scikit-learn is not a project dependency):
  python3 -m venv /tmp/rkhs-bench-sklearn-venv && /tmp/rkhs-bench-sklearn-venv/bin/pip install scikit-learn
  /tmp/rkhs-bench-sklearn-venv/bin/python scripts/uci/sklearn_baseline.py ../shared/data/uci 5 yacht bostonHousing ...
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

root = sys.argv[1]
splits = int(sys.argv[2])
datasets = sys.argv[3:]
max_train = int(os.environ.get("MAX_TRAIN", "0")) or None
fit_points = int(os.environ.get("FIT_POINTS", "2000"))
restarts = int(os.environ.get("RESTARTS", "2"))
out_dir = os.path.join(os.path.dirname(__file__), "..", "..", "notebooks-data", "tsuchida", "regression")

for name in datasets:
    folder = os.path.join(root, name)
    data = np.loadtxt(os.path.join(folder, "data.txt"))
    features = np.loadtxt(os.path.join(folder, "index_features.txt"), dtype=int).reshape(-1)
    target = int(np.loadtxt(os.path.join(folder, "index_target.txt")))
    x_all, y_all = data[:, features], data[:, target]
    results = []
    start_all = time.time()
    for i in range(splits):
        train = np.loadtxt(os.path.join(folder, f"index_train_{i}.txt"), dtype=int)
        test = np.loadtxt(os.path.join(folder, f"index_test_{i}.txt"), dtype=int)
        if max_train and len(train) > max_train:
            train = np.sort(np.random.default_rng(i).choice(train, max_train, replace=False))
        xm, xs = x_all[train].mean(0), x_all[train].std(0)
        xs_safe = np.where(xs > 0, xs, 1.0)
        scale = lambda x: np.where(xs > 0, (x - xm) / xs_safe, 0.0)
        ym, ys = y_all[train].mean(), y_all[train].std()
        xt, yt = scale(x_all[train]), (y_all[train] - ym) / ys
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.ones(x_all.shape[1]), (1e-2, 1e3)) + WhiteKernel(0.1, (1e-6, 1e1))
        t0 = time.time()
        fit = np.arange(len(train))
        if len(train) > fit_points:
            fit = np.sort(np.random.default_rng(1000 + i).choice(len(train), fit_points, replace=False))
        gp = GaussianProcessRegressor(kernel=kernel, n_restarts_optimizer=restarts, random_state=i).fit(xt[fit], yt[fit])
        if len(fit) < len(train):
            gp = GaussianProcessRegressor(kernel=gp.kernel_, optimizer=None).fit(xt, yt)
        mu, sd = gp.predict(scale(x_all[test]), return_std=True)
        mu, var = mu * ys + ym, (sd * ys) ** 2
        r = y_all[test] - mu
        results.append({"rmse": float(np.sqrt(np.mean(r ** 2))),
                        "nll": float(np.mean(0.5 * np.log(2 * np.pi * var) + r ** 2 / (2 * var))),
                        "train": int(len(train)), "fit_points": int(len(fit)), "kernel": str(gp.kernel_),
                        "seconds": time.time() - t0})
        print(f"sklearn-ard {name} split {i + 1}/{splits}: rmse {results[-1]['rmse']:.4g} nll {results[-1]['nll']:.4g} ({results[-1]['seconds']:.0f} s)", file=sys.stderr, flush=True)
    rm, nl = np.array([s["rmse"] for s in results]), np.array([s["nll"] for s in results])
    se = lambda v: float(v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else float("nan")
    summary = {"dataset": name, "model": "sklearn GaussianProcessRegressor, ConstantKernel*RBF(ARD)+WhiteKernel",
               "sklearn": sklearn.__version__, "splits": len(results), "max_train": max_train, "fit_points": fit_points, "restarts": restarts,
               "rmse_mean": float(rm.mean()), "rmse_stderr": se(rm), "nll_mean": float(nl.mean()), "nll_stderr": se(nl),
               "seconds": time.time() - start_all, "per_split": results}
    path = os.path.join(out_dir, f"sklearn-ard_{name}.json")
    with open(path + ".tmp", "w") as f:
        json.dump(summary, f, indent=1)
    os.replace(path + ".tmp", path)      # atomic, like AtomicFile
    print(f"{name}: RMSE {rm.mean():.4g} +- {se(rm):.2g}, NLL {nl.mean():.4g} +- {se(nl):.2g}")
