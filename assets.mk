# Front-end assets: included by the Makefile (`include assets.mk`).
#
# `make assets` installs the pinned npm packages (package-lock.json), compiles
# static/src/portal.scss into static/portal/portal.css and copies GOV.UK Frontend's and
# MoJ Frontend's scripts and images into static/govuk/. The results are committed, so
# `make run` needs no Node. Never copy the fonts directory: GDS Transport is for GOV.UK
# only (docs/adr/0009-govuk-frontend-generic-header-system-fonts-committed-css.md).

ASSETS_GOVUK := node_modules/govuk-frontend/dist/govuk
ASSETS_MOJ := node_modules/@ministryofjustice/frontend/moj
ASSETS_OUT := static/govuk

.PHONY: assets
assets:
	npm ci --no-audit --no-fund
	npx sass --load-path=. --style=compressed --no-source-map static/src/portal.scss static/portal/portal.css
	rm -rf $(ASSETS_OUT)
	mkdir -p $(ASSETS_OUT)/assets/images
	cp $(ASSETS_GOVUK)/govuk-frontend.min.js $(ASSETS_OUT)/
	cp $(ASSETS_MOJ)/moj-frontend.min.js $(ASSETS_OUT)/
	cp $(ASSETS_GOVUK)/assets/images/* $(ASSETS_OUT)/assets/images/
	cp $(ASSETS_GOVUK)/assets/manifest.json $(ASSETS_OUT)/assets/
	# MoJ components' icons (the stylesheet points at them under the same images path).
	cp $(ASSETS_MOJ)/assets/images/icon-*.svg $(ASSETS_OUT)/assets/images/
	# The built stylesheet must carry no web font at all.
	! grep -q -e '@font-face' -e 'GDS Transport' static/portal/portal.css
	! test -e $(ASSETS_OUT)/assets/fonts
