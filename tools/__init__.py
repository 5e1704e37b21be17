"""The project's tools, run through build.py: the build steps (site, engine_files,
dist), the static server, the test runner and the bench. Standard library only,
except what runs in the test virtualenv: bench_browser.py (Playwright) and
pytest_alone.py (a pytest plugin)."""
