# Fit a Poisson log-linear model with R's glm() and print, as JSON, what the fit panel's
# observed and partial-residual views show: fitted means, working residuals, and R's
# partial residuals (residuals(type = "partial"), which centre each term at its mean).
#
# Usage: Rscript partial_residuals.R data.csv
# The CSV has columns y, off (the offset) and x1..xp (the columns of X after the
# intercept, all numeric, so that every column is a term of its own).
suppressMessages({library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1])
xcols <- grep("^x[0-9]+$", names(d), value = TRUE)
form <- as.formula(paste("y ~", paste(xcols, collapse = " + "), "+ offset(off)"))
m <- glm(form, family = poisson(), data = d)
cat(toJSON(list(coef = unname(coef(m)),
                fitted = unname(fitted(m)),
                working = unname(residuals(m, type = "working")),
                partial = unname(residuals(m, type = "partial")),
                iter = m$iter),
           digits = NA, auto_unbox = TRUE, matrix = "columnmajor"))
