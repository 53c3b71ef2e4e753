# Thin wrapper: every target makes .venv when it is missing, then does one thing.
#   make app    serve the course with Voila on http://127.0.0.1:8866 (landing page first);
#               WORKERS=2 runs two course servers behind HAProxy (Debian's), one per core
#   make test   run every test layer (installs test tools; Chromium comes from Debian)
#   make lab    open the course in JupyterLab (PORT= and ARGS= as for make app; works as root)
#   make workshop  serve the course to the room on every network address (trusted network only)
#   make handouts  print a PDF handout per lesson into artifacts/handouts/ (LESSONS="1 3" for some;
#               LANGUAGE=es for Spanish, into artifacts/handouts/es/)
#   make summary   print one page for a session: LESSONS="1 3 8" ADDRESS=http://... (optional)
#   make screenshots  run the browser tests saving screenshots into artifacts/screenshots/
#   make bench  measure speed, load and memory beside default Voila (artifacts/bench/)
#   make frontend  rebuild the lesson pages' front end from frontend/ (needs npm; the build is committed)
#   make sync   rewrite the warning-sign texts in the lessons from data/red_flags.yaml, and
#               make the translated notebooks (notebooks/<language>/) from locale/
#   make translations  bring every language's catalogs (locale/) in step with the English
#   make content  check data/ and report how complete each language is
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8866
ARGS   ?=
WORKERS ?= 1

.PHONY: app lab test test-fast content sync translations chromium haproxy lighthouse frontend clean help handouts summary workshop bench screenshots
help:
	@sed -n 's/^#   //p' Makefile

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.app-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.lab-installed: pyproject.toml $(VENV)/.app-installed
	$(PY) -m pip install --quiet -e '.[lab]'
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.app-installed
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

ifeq ($(WORKERS),1)
app: $(VENV)/.app-installed
	$(PY) -m widgets.server --port=$(PORT) $(ARGS)
else
app: $(VENV)/.app-installed haproxy
	$(PY) -m widgets.server.balance --workers=$(WORKERS) --port=$(PORT) $(ARGS)
endif

# JupyterLab refuses to start as root (a container, a fresh cloud VM) without --allow-root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# A clean workspace every time (no tabs left from the last run), opened on the landing page;
# each lesson links to itself on the site (JupyterLab's Voila extension, /voila/render/);
# no news feed, news prompt or update check (nothing is fetched from another host): the
# course's setting defaults are in share/jupyter/lab/settings/overrides.json.
lab: $(VENV)/.lab-installed
	JUPYTER_PATH=$(CURDIR)/share/jupyter COURSE_SITE_RENDER_URL=/voila/render/ \
	  $(VENV)/bin/jupyter lab --port=$(PORT) $(LAB_ROOT) \
	  --ServerApp.root_dir=$(CURDIR)/notebooks --LabApp.default_url=/lab/tree/00-index.ipynb \
	  --LabApp.workspaces_dir=$$(mktemp -d) --LabApp.news_url=None \
	  --LabApp.app_settings_dir=$(CURDIR)/share/jupyter/lab/settings \
	  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(ARGS)

workshop: $(VENV)/.app-installed
	$(PY) -m widgets.server --port=$(PORT) --Voila.ip=0.0.0.0 $(ARGS)

handouts: $(VENV)/.test-installed chromium
	$(PY) -m widgets.handouts $(if $(LANGUAGE),--language $(LANGUAGE)) $(LESSONS)

summary: $(VENV)/.test-installed chromium
	$(PY) -m widgets.handouts $(if $(LANGUAGE),--language $(LANGUAGE)) --summary $(LESSONS) $(if $(ADDRESS),--address $(ADDRESS))

bench: $(VENV)/.test-installed chromium lighthouse
	$(PY) -m bench $(ARGS)

# Lighthouse for make bench, from the npm registry (needs node: Debian's nodejs).
lighthouse: bench/lighthouse/node_modules/lighthouse/package.json
bench/lighthouse/node_modules/lighthouse/package.json: bench/lighthouse/package.json
	@command -v npm >/dev/null || { echo "make bench needs npm for Lighthouse: apt-get install nodejs npm"; exit 1; }
	cd bench/lighthouse && npm install --no-save --no-audit --no-fund --no-package-lock

# The lesson pages' front end (frontend/): rebuilt from the npm registry's packages into
# share/jupyter/voila/templates/course/static/course-widgets.{js,css}, which are committed
# (serving the course needs no Node). Run it after changing frontend/; a test says when.
frontend:
	@command -v npm >/dev/null || { echo "make frontend needs npm: apt-get install nodejs npm"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

content: $(VENV)/.app-installed
	$(PY) -m widgets.content
	$(PY) -m widgets.i18n report

sync: $(VENV)/.app-installed
	$(PY) -m widgets.content.generated
	$(PY) -m widgets.i18n build

translations: $(VENV)/.app-installed
	$(PY) -m widgets.i18n update

chromium:
	@bash .ci/ensure-chromium

haproxy:
	@bash .ci/ensure-haproxy

test: $(VENV)/.test-installed chromium haproxy
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

# The browser tests again, saving a screenshot of each page and tool (make test skips them).
screenshots: $(VENV)/.test-installed chromium
	COURSE_SCREENSHOTS=1 $(PY) -m pytest tests/browser -p no:cacheprovider -q

# Everything but the notebooks, the browser and the few slow checks: for quick loops while editing.
test-fast: $(VENV)/.test-installed
	$(PY) -m pytest tests -m "not browser and not slow" -p no:cacheprovider -q

clean:
	rm -rf $(VENV) artifacts *.egg-info
