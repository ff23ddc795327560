# Fit every case of a manifest with R's glm() from a formula and print the results as JSON.
#
# Usage: Rscript formula_cases.R manifest.json
#
# The manifest (written by tests/test_formula_r.py) is a list of cases, each with
#   name, csv, newdata   the case's name, its data file and a file of new rows (columns in
#                        another order) to predict at
#   formula              R's formula, as text
#   family, link         R's family function name and link name (or "power(1/3)")
#   factors              columns to make factors, each {col, levels} (levels in order)
#   weights              a column name, or null (offsets are offset() terms of the formula)
# Output: an object keyed by case name: coefficients (named, so R's names), standard errors,
# deviances, AIC, the names of the fitted values (the rows used), predict(newdata) on both
# scales with se.fit = TRUE, and print(summary(m)) as lines. Numbers with digits = NA.
suppressMessages({library(MASS); library(jsonlite)})

manifest <- fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)

read_case <- function(path, case) {
    d <- read.csv(path, stringsAsFactors = TRUE)
    for (f in case$factors) d[[f$col]] <- factor(d[[f$col]], levels = unlist(f$levels))
    d
}

fit_case <- function(case) {
    d <- read_case(case$csv, case)
    new <- read_case(case$newdata, case)
    link <- if (startsWith(case$link, "power(")) eval(parse(text = case$link)) else case$link
    fam <- get(case$family, mode = "function")(link = link)
    args <- list(formula = as.formula(case$formula), family = fam, data = d)
    if (!is.null(case$weights)) args$weights <- d[[case$weights]]
    m <- do.call(glm, args)
    m$call <- call("glm", formula = as.formula(case$formula))
    pl <- predict(m, newdata = new, type = "link", se.fit = TRUE)
    pr <- predict(m, newdata = new, type = "response", se.fit = TRUE)
    list(coef = as.list(coef(m)),
         se = as.list(sqrt(diag(vcov(m)))),
         deviance = deviance(m), null_deviance = m$null.deviance,
         df_residual = m$df.residual, aic = m$aic,
         rows = as.integer(names(fitted(m))),
         link_fit = unname(pl$fit), link_se = unname(pl$se.fit),
         response_fit = unname(pr$fit), response_se = unname(pr$se.fit),
         summary = capture.output(print(summary(m))))
}

out <- lapply(manifest, fit_case)
names(out) <- vapply(manifest, function(case) case$name, "")
cat(toJSON(out, digits = NA, auto_unbox = TRUE, na = "string"))
