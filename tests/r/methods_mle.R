# The maximum-likelihood estimates of a few non-canonical fits, by R's glm() converged
# tightly (epsilon = 1e-14), for comparison with glmlearn's Newton-Raphson.
#
# Usage: Rscript methods_mle.R data.csv
# The CSV has columns x, passed (0/1), positive (> 0). Output (JSON): for each fit its
# coefficients (15 significant digits), deviance and iteration count.
suppressMessages({library(MASS); library(jsonlite)})

d <- read.csv(commandArgs(TRUE)[1])
tight <- glm.control(epsilon = 1e-14, maxit = 100)
fits <- list(
    probit = glm(passed ~ x, family = binomial(link = "probit"), data = d, control = tight),
    cloglog = glm(passed ~ x, family = binomial(link = "cloglog"), data = d, control = tight),
    gamma_log = glm(positive ~ x, family = Gamma(link = "log"), data = d, control = tight)
)
out <- lapply(fits, function(m) list(coef = unname(coef(m)), deviance = deviance(m),
                                     iter = m$iter, converged = m$converged))
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
