"""Development tools shared by the tests, the quality gates (gates/), the benchmark (bench/) and
tools/: headless Chromium (`chromium`), `invoke livereload` run as a subprocess
(`live_preview`) and the synthetic benchmark corpus (`corpus`). Not used by the product; it is
installed with the project so that each of them imports it without touching sys.path."""
