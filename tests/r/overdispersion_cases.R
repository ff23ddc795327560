# Overdispersion reference fits: quasi families, MASS's negative binomial (theta fixed and
# estimated by glm.nb) and quantile residuals, printed as one JSON object.
#
# Usage: Rscript overdispersion_cases.R
#
# Every case carries its own data as R builds it: the design (model.matrix, R's treatment
# coding and column names), the response, the prior weights and the offset, so the Python
# side fits exactly the columns R fitted. Numbers are printed with 15 significant digits.
suppressMessages({library(MASS); library(jsonlite)})

design <- function(m) {
    X <- model.matrix(m)
    list(X = unname(split(X, row(X))), names = colnames(X))
}

glm_summary <- function(m, dispersion = NULL) {
    s <- summary(m, dispersion = dispersion)
    co <- coef(s)
    list(coef = unname(co[, 1]), se = unname(co[, 2]), stat = unname(co[, 3]),
         p = unname(co[, 4]), dispersion = s$dispersion, deviance = deviance(m),
         null_deviance = m$null.deviance, df_residual = m$df.residual, iter = m$iter,
         aic = if (is.na(m$aic)) "NA" else m$aic)
}

pearson <- function(m) sum(residuals(m, "pearson")^2) / m$df.residual

out <- list()

# --- quasi-Poisson: ships, offset log(service), factors -------------------------------------
sh <- subset(ships, service > 0)
sh$year <- factor(sh$year); sh$period <- factor(sh$period)
qp <- glm(incidents ~ type + year + period, offset = log(service), family = quasipoisson,
          data = sh)
po <- glm(incidents ~ type + year + period, offset = log(service), family = poisson, data = sh)
out$quasipoisson_ships <- c(design(qp), list(y = sh$incidents, offset = log(sh$service)),
                            glm_summary(qp), list(poisson_se = unname(coef(summary(po))[, 2]),
                                                  pearson = pearson(po)))

# --- quasi-binomial: esoph, a two-column response ---------------------------------------------
es <- esoph
es$agegp <- factor(es$agegp, ordered = FALSE)
es$alcgp <- factor(es$alcgp, ordered = FALSE)
qb <- glm(cbind(ncases, ncontrols) ~ agegp + alcgp, family = quasibinomial, data = es)
out$quasibinomial_esoph <- c(design(qb), list(successes = es$ncases, failures = es$ncontrols),
                             glm_summary(qb))

# --- quasi(link, variance): mtcars and esoph proportions ---------------------------------------
quasi_case <- function(link, variance, formula, data) {
    fam <- do.call(quasi, list(link = link, variance = variance))  # (quasi reads its call)
    m <- glm(formula, family = fam, data = data)
    c(design(m), list(y = unname(model.response(model.frame(m))), link = link,
                      variance = variance), glm_summary(m))
}
out$quasi <- list(
    quasi_case("identity", "constant", mpg ~ wt + hp, mtcars),
    quasi_case("log", "mu^2", mpg ~ wt + hp, mtcars),
    quasi_case("inverse", "mu^2", mpg ~ wt + hp, mtcars),
    quasi_case("log", "mu^3", mpg ~ wt + hp, mtcars),
    quasi_case("log", "mu", carb ~ wt + hp, mtcars),
    quasi_case("logit", "mu(1-mu)", I((ncases + 0.5) / (ncases + ncontrols + 1)) ~ agegp + alcgp, es)
)

# --- glm.nb on quine: theta estimated, the outer iterations counted from its trace ------------
outer_count <- function(expr) {
    n <- 0
    m <- withCallingHandlers(expr, message = function(msg) {
        if (grepl("^Theta\\(", conditionMessage(msg))) n <<- n + 1
        invokeRestart("muffleMessage")
    })
    list(model = m, outer = n)
}
nb_case <- function(run, y, data) {
    m <- run$model
    s <- summary(m)  # summary.negbin: dispersion 1
    co <- coef(s)
    c(design(m), list(y = y, theta = m$theta, theta_se = m$SE.theta,
                      twologlik = m$twologlik, coef = unname(coef(m)), se = unname(co[, 2]),
                      p = unname(co[, 4]), deviance = deviance(m),
                      null_deviance = m$null.deviance, aic = AIC(m), bic = BIC(m),
                      iter = m$iter, outer = run$outer,
                      pearson_poisson = pearson(pm <- glm(formula(m), poisson, data = data)),
                      pearson_p = pchisq(sum(residuals(pm, "pearson")^2), pm$df.residual,
                                         lower.tail = FALSE)))
}
out$nb_quine <- nb_case(outer_count(glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine,
                                           control = glm.control(trace = 1))), quine$Days, quine)
# MASS's printed summary, line by line (R 4.2 still prints deviance residuals: the test
# compares the lines both print)
out$nb_quine_print <- capture.output(print(summary(glm.nb(Days ~ Eth + Sex + Age + Lrn,
                                                         data = quine))))
nb_sqrt <- outer_count(glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine, link = sqrt,
                              control = glm.control(trace = 1)))
out$nb_quine_sqrt <- list(theta = nb_sqrt$model$theta, theta_se = nb_sqrt$model$SE.theta,
                          twologlik = nb_sqrt$model$twologlik,
                          coef = unname(coef(nb_sqrt$model)), outer = nb_sqrt$outer)

# ships: MASS's theta search runs off (R warns "iteration limit reached")
nb_ships <- suppressWarnings(glm.nb(incidents ~ type + year + period + offset(log(service)),
                                    data = sh))
out$nb_ships <- list(th_warn = nb_ships$th.warn, theta = nb_ships$theta)

# --- negative.binomial(theta) fixed, via glm() ----------------------------------------------
fixed <- lapply(c(0.8, 1.5, 10), function(th) {
    m <- glm(Days ~ Eth + Sex + Age + Lrn, family = negative.binomial(th), data = quine)
    c(list(theta = th, loglik = as.numeric(logLik(m))), glm_summary(m, dispersion = 1))
})
fixed_sqrt <- glm(Days ~ Eth + Sex + Age + Lrn, family = negative.binomial(2, link = "sqrt"),
                  data = quine)
out$nb_fixed <- c(design(fixed_sqrt), list(y = quine$Days, cases = fixed,
                  sqrt = glm_summary(fixed_sqrt, dispersion = 1)))

# --- quantile residuals ----------------------------------------------------------------------
if (!requireNamespace("statmod", quietly = TRUE))
    stop("the R package statmod is missing (quantile residuals): apt-get install r-cran-statmod")
suppressMessages(library(statmod))
gm <- glm(mpg ~ wt + hp, family = Gamma(link = "log"), data = mtcars)
ig <- glm(mpg ~ wt + hp, family = inverse.gaussian(link = "log"), data = mtcars)
ga <- glm(mpg ~ wt + hp, family = gaussian, data = mtcars)
mu_nb <- fitted(glm.nb(Days ~ Eth + Sex + Age + Lrn, data = quine))
mu_po <- fitted(po)
bi <- glm(cbind(ncases, ncontrols) ~ agegp + alcgp, family = binomial, data = es)
trials <- es$ncases + es$ncontrols
out$qres <- list(
    binomial_lower = pbinom(es$ncases - 1, trials, fitted(bi)),
    binomial_upper = pbinom(es$ncases, trials, fitted(bi)),
    gamma = qresiduals(gm, dispersion = summary(gm)$dispersion),
    inverse_gaussian = qresiduals(ig, dispersion = summary(ig)$dispersion),
    gaussian = qresiduals(ga, dispersion = summary(ga)$dispersion),
    nb_lower = pnbinom(quine$Days - 1, size = out$nb_quine$theta, mu = mu_nb),
    nb_upper = pnbinom(quine$Days, size = out$nb_quine$theta, mu = mu_nb),
    poisson_lower = ppois(sh$incidents - 1, mu_po),
    poisson_upper = ppois(sh$incidents, mu_po)
)
out$mtcars <- list(mpg = mtcars$mpg, X = design(gm)$X)

cat(toJSON(out, digits = NA, auto_unbox = TRUE, na = "string"))
