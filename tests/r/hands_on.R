# Fits for the hands-on widget's tests: R's glm() on each case, with its coefficients,
# deviance and hat values (hatvalues(), from the last IRLS step's weights).
# Reads a JSON file (a list of cases: family, x, y) and prints one result per case.
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
cases <- fromJSON(args[1], simplifyVector = TRUE)
out <- lapply(seq_len(nrow(cases)), function(i) {
  x <- cases$x[[i]]
  y <- cases$y[[i]]
  fam <- switch(cases$family[i], binomial = binomial(), poisson = poisson())
  fit <- suppressWarnings(glm(y ~ x, family = fam))
  list(coef = unname(coef(fit)), deviance = deviance(fit), hat = unname(hatvalues(fit)))
})
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
