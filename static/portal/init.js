// Starts GOV.UK Frontend and MoJ Frontend components on every page (loaded as a module at
// the end of <body>). Relative imports resolve to /static/govuk/, copied there by
// `make assets`; they also work when STATIC_URL changes.
import { initAll as initGovukFrontend } from "../govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../govuk/moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
