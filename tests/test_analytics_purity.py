"""The analytics import on their own: no Reflex, no database, no HTTP, no settings."""

import subprocess
import sys

from tests.conftest import ROOT

MODULES = ["growth", "engagement", "timing", "anomalies", "forecast", "crossplatform", "goals", "xp",
           "money", "promotion_data", "promotion_memory", "promotion_fatigue", "promotion_anomalies",
           "promotion_forecast", "promotion_pacing", "promotion_actions", "promotion_hitrate", "promotion_brain"]
FORBIDDEN = ["reflex", "sqlmodel", "sqlalchemy", "httpx", "redis", "arq", "dreamsuite.settings", "dreamsuite.db",
             "statsmodels"]  # statsmodels only once a forecast is made, in the worker


def test_analytics_import_without_the_app():
    code = (f"import sys\nfor m in {MODULES!r}: __import__('dreamsuite.analytics.' + m)\n"
            f"print(','.join(f for f in {FORBIDDEN!r} if f in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
