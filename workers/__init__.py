"""arq workers: collect, publish and the maintenance crons. Run `arq workers.main.WorkerSettings`."""

import os

# One BLAS thread per worker: the promotion brain's numpy/statsmodels work runs beside the
# event loop, and on a small machine OpenBLAS's own threads fought it and each other (one brain
# run at 3 channels × 2 years × 200 creatives: 1.1–1.6 s with one thread, 1.8–7.8 s by default).
# Set before anything imports numpy; an operator's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
