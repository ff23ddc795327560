# The deviance at given coefficient vectors, from R's own families (dev.resids), and the
# maximum-likelihood fit, for the path panel's slices of three-coefficient models.
#
# Usage: Rscript path_slices.R data.csv betas.csv
# data.csv has columns x1, x2, count, off (a Poisson log-link model with offset off) and
# succ, trials (a binomial logit model of succ out of trials); both have an intercept.
# betas.csv has columns b0, b1, b2: one coefficient vector per row.
# Output (JSON): for each model the deviance at every row of betas.csv (`at`), and
# glm()'s coefficients (epsilon = 1e-14) and deviance.
suppressMessages({library(jsonlite)})
args <- commandArgs(TRUE)
d <- read.csv(args[1])
B <- as.matrix(read.csv(args[2]))
X <- cbind(1, d$x1, d$x2)
tight <- glm.control(epsilon = 1e-14, maxit = 100)

deviance_at <- function(fam, y, wt, offset) {
    apply(B, 1, function(b) {
        mu <- fam$linkinv(drop(X %*% b) + offset)
        sum(fam$dev.resids(y, mu, wt))
    })
}
pois <- glm(count ~ x1 + x2 + offset(off), family = poisson(), data = d, control = tight)
prop <- d$succ / d$trials
bin <- glm(prop ~ x1 + x2, family = binomial(), weights = trials, data = d, control = tight)
out <- list(
    poisson = list(at = deviance_at(poisson(), d$count, rep(1, nrow(d)), d$off),
                   coef = unname(coef(pois)), deviance = deviance(pois)),
    binomial = list(at = deviance_at(binomial(), prop, d$trials, rep(0, nrow(d))),
                    coef = unname(coef(bin)), deviance = deviance(bin))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
