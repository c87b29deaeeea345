"""Performance figures quoted in the README: `make bench` (python -m benchmarks), and the burst
and inbox benchmarks run on their own (python -m benchmarks.publish_burst, benchmarks.inbox).

Every benchmark gets the same environment: the project on the path, a fixed token key and the
demo switch (the benchmarks serve the sandbox platform themselves)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DREAMSUITE_SECRET_KEY", "S0m9bH2pZJ1k7rj9x8o0p2ZrWm3dH9q2aQpQ8e4R1cE=")
os.environ.setdefault("DREAMSUITE_DEMO", "1")
