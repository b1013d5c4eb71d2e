# Reference values for FunnelPlotR's overdispersion-adjusted funnel limits, computed by
# FunnelPlotR itself.
#
# Run by hand, not by the test suite:
#   Rscript make_funnelplotr_od.R LIBRARY COMMIT OUTPUT.json
# where LIBRARY holds FunnelPlotR installed (R CMD INSTALL) from the source at COMMIT of
# github.com/nhs-r-community/FunnelPlotR, and jsonlite is available; make_r_references.sh does
# all of it, including the two install-time edits that let FunnelPlotR 0.6.0 load with an older
# ggplot2 (see the note in the JSON's provenance).
#
# Inputs: the package's own test data (tests/testthat/test-funnel_plot.R and
# test-classes_methods.R, whose published phi is 2.948033), and three larger data sets drawn
# here with a fixed seed (the vignette's medpar data come from the COUNT package, which could not
# be installed). The drawn inputs are written into the JSON, so the Python tests need no R.
# Every funnel_plot() call is run twice, with limit = 95 and limit = 99, to record the package's
# outlier flag at both limits; the direction of each outlier (above or below) is read from the
# limits that funnel_plot() used, with outliers_func()'s rule (outside [LCL, UCL], limits
# included), and checked against its flag.
args <- commandArgs(trailingOnly = TRUE)
.libPaths(c(args[1], .libPaths()))
commit <- args[2]
output <- args[3]
suppressPackageStartupMessages(library(FunnelPlotR))
library(jsonlite)

package_test_data <- data.frame(
  num = c(100, 150, 180, 80, 120, 225),
  denom = c(108, 112, 165, 95, 100, 220)
)

set.seed(20261127)
units <- 40
pr_denominator <- round(runif(units, 40, 2500))
pr_numerator <- rbinom(units, pr_denominator, rbeta(units, 30, 170))
rc_denominator <- round(runif(units, 200, 20000))
rc_numerator <- rpois(units, rc_denominator * 0.01 * exp(rnorm(units, 0, 0.25)))
sr_expected <- round(runif(units, 4, 400), 4)
sr_observed <- rpois(units, sr_expected * exp(rnorm(units, 0, 0.2)))
sr_plain_expected <- round(runif(units, 20, 400), 4)
sr_plain_observed <- rpois(units, sr_plain_expected)
small_denominator <- sample(3:60, 25, replace = TRUE)
small_numerator <- rbinom(25, small_denominator, rbeta(25, 2, 18))

funnel <- function(name, numerator, denominator, data_type, sr_method = "SHMI",
                   trim_by = 0.1, multiplier = 1, data_note) {
  d <- data.frame(
    numerator = numerator, denominator = denominator,
    group = sprintf("u%02d", seq_along(numerator))
  )
  run <- function(limit) {
    suppressMessages(funnel_plot(
      d, numerator, denominator, group, data_type = data_type, sr_method = sr_method,
      trim_by = trim_by, multiplier = multiplier, limit = limit,
      draw_adjusted = TRUE, draw_unadjusted = FALSE
    ))
  }
  at95 <- run(95)
  at99 <- run(99)
  a <- at95$aggregated_data
  b <- at99$aggregated_data
  stopifnot(identical(as.character(a$group), d$group), identical(a$group, b$group))
  stopifnot(isTRUE(all.equal(a$OD95UCL, b$OD95UCL)), at95$phi == at99$phi)
  used <- if (at95$draw_adjusted) c("OD95LCL", "OD95UCL", "OD99LCL", "OD99UCL") else
    c("LCL95", "UCL95", "LCL99", "UCL99")
  value <- a$rr * multiplier
  direction <- function(lower, upper) ifelse(value > upper, 1L, ifelse(value < lower, -1L, 0L))
  class95 <- direction(a[[used[1]]], a[[used[2]]])
  class998 <- direction(a[[used[3]]], a[[used[4]]])
  stopifnot(identical(as.numeric(class95 != 0), as.numeric(a$outlier)),
            identical(as.numeric(class998 != 0), as.numeric(b$outlier)))
  list(
    name = name,
    call = sprintf(paste0("funnel_plot(d, numerator, denominator, group, data_type = '%s', ",
                          "sr_method = '%s', trim_by = %s, multiplier = %s, limit = 95 | 99)"),
                   data_type, sr_method, trim_by, multiplier),
    data = data_note,
    data_type = data_type, sr_method = sr_method, trim_by = trim_by, multiplier = multiplier,
    numerator = numerator, denominator = denominator,
    expected = list(
      phi = at95$phi, tau2 = at95$tau2, draw_adjusted = at95$draw_adjusted,
      denominator = a$denominator, rr = a$rr, Uzscore = a$Uzscore,
      OD95LCL = a$OD95LCL, OD95UCL = a$OD95UCL, OD99LCL = a$OD99LCL, OD99UCL = a$OD99UCL,
      LCL95 = a$LCL95, UCL95 = a$UCL95, LCL99 = a$LCL99, UCL99 = a$UCL99,
      outlier95 = as.integer(a$outlier), outlier99 = as.integer(b$outlier),
      class95 = class95, class998 = class998
    )
  )
}

test_data <- "FunnelPlotR tests/testthat/test-funnel_plot.R and test-classes_methods.R (dt)"
drawn <- "drawn in this script with set.seed(20261127)"
funnels <- list(
  funnel("package_test_data_SR_SHMI", package_test_data$num, package_test_data$denom, "SR",
         data_note = test_data),
  funnel("package_test_data_SR_CQC", package_test_data$num, package_test_data$denom, "SR",
         sr_method = "CQC", trim_by = 0.05, multiplier = 100, data_note = test_data),
  funnel("package_test_data_RC", package_test_data$num, package_test_data$denom, "RC",
         data_note = test_data),
  funnel("drawn_PR", pr_numerator, pr_denominator, "PR", data_note = drawn),
  funnel("drawn_PR_per_100", pr_numerator, pr_denominator, "PR", trim_by = 0.05,
         multiplier = 100, data_note = drawn),
  funnel("drawn_PR_small_denominators", small_numerator, small_denominator, "PR",
         data_note = paste(drawn, "; limits truncated at 0 for the smallest denominators")),
  funnel("drawn_RC", rc_numerator, rc_denominator, "RC", data_note = drawn),
  funnel("drawn_SR_SHMI", sr_observed, sr_expected, "SR", data_note = drawn),
  funnel("drawn_SR_CQC", sr_observed, sr_expected, "SR", sr_method = "CQC",
         multiplier = 100, data_note = drawn),
  funnel("drawn_SR_SHMI_not_overdispersed", sr_plain_observed, sr_plain_expected, "SR",
         data_note = drawn)
)

payload <- list(
  provenance = list(
    package = "FunnelPlotR",
    version = as.character(packageVersion("FunnelPlotR")),
    repository = "github.com/nhs-r-community/FunnelPlotR",
    commit = commit,
    files = c("R/funnel_plot.R", "R/aggregate_func.R", "R/od_adjustment.R",
              "R/build_limits_lookup.R", "R/calculate_limits.R", "R/outliers_func.R",
              "tests/testthat/test-funnel_plot.R", "tests/testthat/test-classes_methods.R"),
    script = "tests/unit/stats/reference/make_funnelplotr_od.R",
    r_version = R.version.string,
    ggplot2_version = as.character(packageVersion("ggplot2")),
    jsonlite_version = as.character(packageVersion("jsonlite")),
    date = format(Sys.time(), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"),
    note = paste(
      "Computed by running funnel_plot() of the package named above; expected holds its",
      "aggregated_data (sorted by group, which is input order), phi, tau2 and draw_adjusted.",
      "Installed with two edits that let it load with the ggplot2 that Debian ships (ggplot2 only",
      "draws the plot; no computed value depends on it): DESCRIPTION's 'ggplot2 (>= 3.5.2)'",
      "relaxed to '(>= 3.4.1)', and ggplot2::is_ggplot (new in ggplot2 3.5.2) replaced by its",
      "older name ggplot2::is.ggplot in R/classes_methods.R's validator. Numbers written with",
      "15 significant digits."
    )
  ),
  funnels = funnels
)
writeLines(toJSON(payload, digits = NA, auto_unbox = TRUE, pretty = 1, na = "null"), output)
