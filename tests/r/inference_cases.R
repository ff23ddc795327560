# Reference numbers for tests/test_r_inference.py: analysis of deviance, drop1, profile
# intervals (MASS's confint.glm) and influence measures, computed by R itself.
# usage: Rscript inference_cases.R DIR
#   DIR holds budworm.csv, dobson.csv and ships.csv (written by the test); this script
#   writes quine.csv (MASS's quine) there for the test to read, and prints JSON on stdout.
suppressMessages({library(MASS); library(jsonlite)})
dir <- commandArgs(TRUE)[1]
write.csv(quine, file.path(dir, "quine.csv"), row.names = FALSE)

tab <- function(a) list(rows = rownames(a), cols = as.list(as.data.frame(a)))
quiet <- function(expr) suppressWarnings(suppressMessages(expr))
infl <- function(m) list(hat = unname(hatvalues(m)), rstandard = unname(rstandard(m)),
                         rstudent = unname(rstudent(m)), cooks = unname(cooks.distance(m)),
                         rstandard_pearson = unname(rstandard(m, type = "pearson")))
# The exact roots of tau(b) = -+ qnorm: MASS's confint.glm interpolates them with a spline.
exact <- function(m, level = 0.95) {
  X <- model.matrix(m); o <- m$offset; if (is.null(o)) o <- rep(0, nrow(X))
  phi <- summary(m)$dispersion; b <- coef(m); se <- sqrt(diag(vcov(m)))
  q <- qnorm(0.5 + level / 2)
  tau <- function(j, bj) {
    f <- glm.fit(X[, -j, drop = FALSE], m$y, m$prior.weights, offset = o + X[, j] * bj,
                 family = family(m), control = glm.control(epsilon = 1e-12, maxit = 100))
    sign(bj - b[j]) * sqrt(max(0, (f$deviance - deviance(m)) / phi))
  }
  unname(t(sapply(seq_along(b), function(j) c(
    uniroot(function(x) tau(j, x) + q, b[j] + c(-10, 0) * se[j], tol = 1e-12)$root,
    uniroot(function(x) tau(j, x) - q, b[j] + c(0, 10) * se[j], tol = 1e-12)$root))))
}
ci <- function(m) list(names = names(coef(m)), profile = unname(quiet(confint(m))),
                       wald = unname(confint.default(m)),
                       profile90 = unname(quiet(confint(m, level = 0.9))), exact = exact(m))

bud <- read.csv(file.path(dir, "budworm.csv"), stringsAsFactors = TRUE)
bud$SF <- cbind(bud$numdead, 20 - bud$numdead)
b1 <- glm(SF ~ sex * ldose, family = binomial, data = bud)
b0 <- glm(SF ~ sex + ldose, family = binomial, data = bud)
bq <- glm(SF ~ ldose, family = binomial, data = bud)

dob <- read.csv(file.path(dir, "dobson.csv"))
dob$outcome <- factor(dob$outcome); dob$treatment <- factor(dob$treatment)
d1 <- glm(counts ~ outcome + treatment, family = poisson, data = dob)
d0 <- glm(counts ~ outcome, family = poisson, data = dob)

sh <- read.csv(file.path(dir, "ships.csv"), stringsAsFactors = TRUE)
sh$year <- factor(sh$year); sh$period <- factor(sh$period)
s1 <- glm(incidents ~ type + year + period + offset(log(service)), family = poisson, data = sh)

qg <- glm(log(Days + 2.5) ~ Eth * Sex + Age + Lrn, family = gaussian, data = quine)
qg0 <- glm(log(Days + 2.5) ~ Eth + Sex + Age + Lrn, family = gaussian, data = quine)
qG <- glm(Days + 1 ~ Eth + Sex + Age + Lrn, family = Gamma(link = "log"), data = quine)

# A Poisson group with no events: the estimate runs off to -inf (SE ~ 1.5e4). MASS's
# confint stops ("no valid set of coefficients"); the upper root of tau(b) = 1.96 exists.
zg <- c(1, 1, 1, 0, 0, 0); zy <- c(0, 0, 0, 3, 5, 4)
zfit <- glm(zy ~ zg, family = poisson)
ztau <- function(b) {
  f <- glm.fit(cbind(rep(1, 6)), zy, offset = zg * b, family = poisson())
  sign(b - coef(zfit)[2]) * sqrt(max(0, f$deviance - deviance(zfit)))
}
zero_group <- list(coef = unname(coef(zfit)), se = unname(sqrt(diag(vcov(zfit)))),
                   upper = uniroot(function(b) ztau(b) - qnorm(0.975), c(-10, 5), tol = 1e-12)$root,
                   mass_fails = inherits(try(quiet(confint(zfit)), silent = TRUE), "try-error"))

out <- list(zero_group = zero_group,
  budworm = list(
    seq = lapply(list(none = NULL, Chisq = "Chisq", F = "F", Rao = "Rao"),
                 function(t) tab(quiet(anova(b1, test = t)))),
    between = lapply(list(Chisq = "Chisq", F = "F", Rao = "Rao"),
                     function(t) tab(quiet(anova(bq, b0, b1, test = t)))),
    between_down = tab(anova(b1, b0, test = "Chisq")),
    drop1 = lapply(list(none = "none", LRT = "LRT", F = "F", Rao = "Rao"),
                   function(t) tab(quiet(drop1(b0, test = t)))),
    drop1_interaction = tab(drop1(b1, test = "Chisq")),
    ci = ci(b1), ci_add = ci(b0), influence = infl(b1)),
  dobson = list(seq = tab(anova(d1, test = "Chisq")), between = tab(anova(d0, d1, test = "LRT")),
                drop1 = tab(drop1(d1, test = "Chisq")), ci = ci(d1), influence = infl(d1)),
  ships = list(seq = tab(anova(s1, test = "Chisq")), drop1 = tab(drop1(s1, test = "Rao")),
               ci = ci(s1), influence = infl(s1)),
  quine_gaussian = list(
    seq = lapply(list(F = "F", Chisq = "Chisq", Rao = "Rao"),
                 function(t) tab(anova(qg, test = t))),
    between = tab(anova(qg0, qg, test = "F")),
    drop1 = lapply(list(F = "F", LRT = "LRT", Rao = "Rao"), function(t) tab(drop1(qg, test = t))),
    influence = infl(qg)),
  quine_gamma = list(seq = tab(anova(qG, test = "F")), drop1 = tab(drop1(qG, test = "F")),
                     ci = ci(qG), influence = infl(qG))
)
cat(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null"))
