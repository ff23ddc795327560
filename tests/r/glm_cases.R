# Fit every case of a manifest with R's glm() and print the results as one JSON object.
#
# Usage: Rscript glm_cases.R manifest.json
#
# The manifest (written by tests/test_r_live.py) is a list of cases, each with
#   name, csv     the case's name and its data file (columns y or s,f; w; off; x1..xp)
#   family, link  R's family function name and link name, e.g. "Gamma", "1/mu^2"
#   xcols         the columns of X, in order; intercept = TRUE when X's first column is
#                 the constant column (then it is not in xcols and the formula has an
#                 intercept, which R needs for its null deviance)
#   two_column    TRUE for a cbind(successes, failures) response
#   weights, offset  TRUE when the case has prior weights or an offset (columns w, off)
#   start         starting coefficients, or null for R's default (mustart)
#   mustart, etastart  starting means or linear predictor (one per row), or null
# Output: an object keyed by case name. Every number is printed with toJSON(digits = NA),
# i.e. 15 significant digits; NA, NaN and ±Inf are written as the strings "NA", "NaN",
# "Inf", "-Inf" (na = "string"). R's warnings are collected per case, not printed.
suppressMessages({library(MASS); library(jsonlite)})

manifest <- fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)

fit_case <- function(case) {
    d <- read.csv(case$csv)
    xcols <- unlist(case$xcols)
    lhs <- if (isTRUE(case$two_column)) "cbind(s, f)" else "y"
    rhs <- paste(c(if (isTRUE(case$intercept)) "1" else "0", xcols), collapse = " + ")
    form <- as.formula(paste(lhs, "~", rhs))
    fam <- get(case$family, mode = "function")(link = case$link)
    start <- if (is.null(case$start)) NULL else as.numeric(unlist(case$start))
    ms <- if (is.null(case$mustart)) NULL else as.numeric(unlist(case$mustart))
    es <- if (is.null(case$etastart)) NULL else as.numeric(unlist(case$etastart))
    warns <- character()
    m <- withCallingHandlers({
        if (isTRUE(case$offset)) {
            glm(form, family = fam, data = d, weights = w, offset = off, start = start,
                mustart = ms, etastart = es)
        } else {
            glm(form, family = fam, data = d, weights = w, start = start, mustart = ms,
                etastart = es)
        }
    }, warning = function(w) {
        warns <<- c(warns, conditionMessage(w))
        invokeRestart("muffleWarning")
    })
    s <- withCallingHandlers(summary(m), warning = function(w) {
        warns <<- c(warns, conditionMessage(w))
        invokeRestart("muffleWarning")
    })
    # R counts rows of prior weight zero in the Gaussian AIC and in BIC's n: the same fit
    # without those rows gives the likelihood-based numbers of the rows that are fitted.
    dropped <- NULL
    if (any(d$w == 0)) {
        keep <- d$w > 0
        m0 <- suppressWarnings(
            if (isTRUE(case$offset)) {
                glm(form, family = fam, data = d[keep, ], weights = w, offset = off,
                    start = start)
            } else {
                glm(form, family = fam, data = d[keep, ], weights = w, start = start)
            })
        dropped <- list(aic = AIC(m0), bic = BIC(m0), loglik = as.numeric(logLik(m0)),
                        nobs = nobs(m0), coef = unname(coef(m0)))
    }
    cf <- s$coefficients
    stopifnot(identical(rownames(cf), names(coef(m))))  # no aliased columns in these cases
    list(coef_names = names(coef(m)),
         coef = unname(coef(m)),
         se = unname(cf[, 2]),
         tvalues = unname(cf[, 3]),
         pvalues = unname(cf[, 4]),
         deviance = deviance(m),
         null_deviance = m$null.deviance,
         df_residual = m$df.residual,
         df_null = m$df.null,
         aic = AIC(m),
         bic = BIC(m),
         loglik = as.numeric(logLik(m)),
         dispersion = s$dispersion,
         n_iter = m$iter,
         converged = m$converged,
         boundary = m$boundary,
         resid_deviance = unname(residuals(m, type = "deviance")),
         resid_pearson = unname(residuals(m, type = "pearson")),
         fitted_values = unname(fitted(m)),
         nobs = nobs(m),
         loglik_nobs = attr(logLik(m), "nobs"),
         zero_weights_dropped = dropped,
         warnings = warns)
}

out <- list()
for (case in manifest) out[[case$name]] <- fit_case(case)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, na = "string"))
