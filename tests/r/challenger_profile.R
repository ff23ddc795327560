# Reference numbers for tests/test_inference.py: the Challenger logistic fit's profile
# intervals, by MASS's confint.glm and as exact roots of tau(b) = -+qnorm(0.975) solved
# on R's own refits (glm.fit with the coefficient moved into the offset).
# usage: Rscript challenger_profile.R PATH/TO/challenger.csv   (prints JSON on stdout)
suppressMessages({library(MASS); library(jsonlite)})
d <- read.csv(commandArgs(TRUE)[1])
m <- glm(damage ~ temperature, family = binomial, data = d)
X <- model.matrix(m); b <- coef(m); se <- sqrt(diag(vcov(m))); q <- qnorm(0.975)
tau <- function(j, bj) {
  f <- glm.fit(X[, -j, drop = FALSE], m$y, offset = X[, j] * bj, family = binomial(),
               control = glm.control(epsilon = 1e-12, maxit = 100))
  sign(bj - b[j]) * sqrt(max(0, f$deviance - deviance(m)))
}
exact <- t(sapply(seq_along(b), function(j) c(
  uniroot(function(x) tau(j, x) + q, b[j] + c(-10, 0) * se[j], tol = 1e-12)$root,
  uniroot(function(x) tau(j, x) - q, b[j] + c(0, 10) * se[j], tol = 1e-12)$root)))
cat(toJSON(list(names = names(b), profile = unname(suppressMessages(confint(m))),
                exact = unname(exact)), digits = NA))
