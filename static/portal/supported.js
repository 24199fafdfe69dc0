// The Content-Security-Policy forbids inline scripts, so GOV.UK Frontend's "supported" class is set here, first thing in <body>.
document.body.classList.add("govuk-frontend-supported");
