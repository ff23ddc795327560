# The ships model of `glmlearn trace --help`, fitted by R on MASS's own copy of the data
# with R's subset = (cells with no service have log(service) = -Inf).
# Usage: Rscript cli_ships.R     Output: JSON {coef, deviance}
suppressMessages({library(MASS); library(jsonlite)})
m <- glm(incidents ~ type + factor(year) + offset(log(service)), family = poisson,
         data = ships, subset = service > 0)
cat(toJSON(list(coef = unname(coef(m)), deviance = deviance(m), n = nobs(m)), digits = NA,
           auto_unbox = TRUE))
