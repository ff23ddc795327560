# A normal-response fit through every point (deviance 0): R's logLik and AIC.
# Usage: Rscript perfect_gaussian.R     Output: JSON {loglik, aic, aic_line}
suppressMessages(library(jsonlite))
x <- 0:3
y <- 1 + 2 * x
m <- glm(y ~ x)
s <- capture.output(print(summary(m)))
cat(toJSON(list(loglik = as.character(logLik(m)), aic = as.character(AIC(m)),
                aic_line = grep("^AIC", s, value = TRUE)), auto_unbox = TRUE))
