"""The project's tools, run through build.py: the build steps (site, engine_files,
dist), the static server, the test runner and the bench. Standard library only,
except bench_browser.py, which runs in the test virtualenv (Playwright)."""
