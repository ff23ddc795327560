# The problems of glmlearn's own-IRLS exercise fitted by R's glm() from beta = 0.
# Reads a JSON file (a list of problems: family, X as rows, y, offset) and prints, per
# problem, R's coefficients, deviance and number of Fisher scoring iterations.
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
problems <- fromJSON(args[1], simplifyVector = TRUE, simplifyMatrix = TRUE)
out <- lapply(seq_len(nrow(problems)), function(i) {
  X <- problems$X[[i]]
  y <- problems$y[[i]]
  off <- problems$offset[[i]]
  fam <- if (problems$family[i] == "poisson") poisson() else binomial()
  fit <- glm.fit(X, y, family = fam, offset = off, start = rep(0, ncol(X)),
                 control = glm.control(epsilon = 1e-8, maxit = 25))
  list(coef = unname(fit$coefficients), deviance = fit$deviance, iter = fit$iter)
})
cat(toJSON(out, digits = NA, auto_unbox = TRUE))
