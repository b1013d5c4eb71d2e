# Reference values for Laney's p' and u' charts, computed by qicharts2 itself.
#
# Run by hand, not by the test suite:
#   Rscript make_qicharts2_prime.R LIBRARY COMMIT OUTPUT.json
# where LIBRARY holds qicharts2 installed (R CMD INSTALL) from the source at COMMIT of
# github.com/anhoej/qicharts2 and jsonlite is available; make_r_references.sh does all of it.
# The inputs are the data sets that qicharts2 ships (nhs_accidents, cabg, gtt,
# hospital_infections, cdi), used as its vignette uses them; the script writes qic()'s own
# aggregated inputs (y.sum, n) beside its outputs, so the Python tests need no R. qicharts2
# switches on the screening of large moving ranges (option qic.screenedmr) when attached; the
# script checks that it is on.
args <- commandArgs(trailingOnly = TRUE)
.libPaths(c(args[1], .libPaths()))
commit <- args[2]
output <- args[3]
suppressPackageStartupMessages(library(qicharts2))
library(jsonlite)
stopifnot(isTRUE(getOption("qic.screenedmr")))

cabg$month <- as.Date(cut(cabg$date, "month"))
cabg_by_month <- aggregate(
  cbind(deaths = cabg$death, readmissions = cabg$readmission, n = 1),
  by = list(month = cabg$month), FUN = sum
)
gtt$month <- as.Date(cut(gtt$admission_dte, "month"))
gtt <- gtt[!is.na(gtt$harms) & !is.na(gtt$days), ]

series_of <- function(d, column) {
  keys <- unique(d[, c("facet1", "facet2")])
  lapply(seq_len(nrow(keys)), function(k) {
    rows <- d$facet1 == keys$facet1[k] & d$facet2 == keys$facet2[k]
    d[rows, column]
  })
}

case <- function(name, chart, call, data_note, d, args = setNames(list(), character(0))) {
  fields <- c("y", "cl", "lcl", "ucl", "lcl.95", "ucl.95", "sigma.signal", "runs.signal",
              "include", "baseline", "part", "n.obs", "n.useful", "longest.run",
              "longest.run.max", "n.crossings", "n.crossings.min")
  expected <- setNames(lapply(fields, function(f) series_of(d, f)), fields)
  keys <- unique(d[, c("facet1", "facet2")])
  list(
    name = name, chart = chart, call = call, data = data_note, args = args,
    facets = lapply(seq_len(nrow(keys)), function(k) c(as.character(keys$facet1[k]),
                                                        as.character(keys$facet2[k]))),
    count = series_of(d, "y.sum"), denominator = series_of(d, "n"),
    expected = expected
  )
}

charts <- list(
  case("nhs_accidents_pp", "pp",
       "qic(i, r, n = n, data = nhs_accidents, chart = 'pp')",
       "nhs_accidents (data/nhs_accidents.rda); vignette Case 5",
       qic(i, r, n = n, data = nhs_accidents, chart = "pp", return.data = TRUE)),
  case("nhs_accidents_pp_part_exclude", "pp",
       "qic(i, r, n = n, data = nhs_accidents, chart = 'pp', part = 10, exclude = c(3, 15))",
       "nhs_accidents (data/nhs_accidents.rda)",
       qic(i, r, n = n, data = nhs_accidents, chart = "pp", part = 10, exclude = c(3, 15),
           return.data = TRUE),
       list(part = 10, exclude = c(3, 15))),
  case("nhs_accidents_up_freeze", "up",
       "qic(i, r, n = n, data = nhs_accidents, chart = 'up', freeze = 12, multiply = 100)",
       "nhs_accidents (data/nhs_accidents.rda), read as a rate",
       qic(i, r, n = n, data = nhs_accidents, chart = "up", freeze = 12, multiply = 100,
           return.data = TRUE),
       list(freeze = 12, multiply = 100)),
  case("cabg_readmissions_pp", "pp",
       "qic(month, readmissions, n = n, data = cabg_by_month, chart = 'pp', y.percent = TRUE)",
       "cabg (data/cabg.rda) summed by month as in the vignette (cabg_by_month)",
       qic(month, readmissions, n = n, data = cabg_by_month, chart = "pp", y.percent = TRUE,
           return.data = TRUE)),
  case("cabg_deaths_pp_freeze_exclude", "pp",
       "qic(month, deaths, n = n, data = cabg_by_month, chart = 'pp', freeze = 9, exclude = 4)",
       "cabg (data/cabg.rda) summed by month as in the vignette (cabg_by_month)",
       qic(month, deaths, n = n, data = cabg_by_month, chart = "pp", freeze = 9, exclude = 4,
           return.data = TRUE),
       list(freeze = 9, exclude = 4)),
  case("gtt_harms_up", "up",
       "qic(month, harms, days, data = gtt, chart = 'up', multiply = 1000)",
       "gtt (data/gtt.rda) by month of admission, as the vignette's U chart of harms",
       qic(month, harms, days, data = gtt, chart = "up", multiply = 1000, return.data = TRUE),
       list(multiply = 1000)),
  case("hospital_infections_up", "up",
       "qic(month, n, days, data = hospital_infections, chart = 'up', multiply = 10000)",
       "hospital_infections (data/hospital_infections.rda), all infections",
       qic(month, n, days, data = hospital_infections, chart = "up", multiply = 10000,
           return.data = TRUE),
       list(multiply = 10000)),
  case("cdi_up_freeze", "up",
       "qic(month, n, days, data = cdi, chart = 'up', freeze = 24, multiply = 10000)",
       "cdi (data/cdi.rda); the vignette's CDI example, baseline frozen before the intervention",
       qic(month, n, days, data = cdi, chart = "up", freeze = 24, multiply = 10000,
           return.data = TRUE),
       list(freeze = 24, multiply = 10000)),
  case("cdi_pp_part", "pp",
       "qic(month, n, days, data = cdi, chart = 'pp', part = 24)",
       "cdi (data/cdi.rda); infections per risk day read as a proportion, one part per period",
       qic(month, n, days, data = cdi, chart = "pp", part = 24, return.data = TRUE),
       list(part = 24)),
  case("cdi_up_period_of_one_baseline_point", "up",
       "qic(month, n, days, data = cdi, chart = 'up', part = c(12, 14), exclude = 14)",
       paste("cdi (data/cdi.rda); the second part has one baseline point, so no moving range:",
             "qicharts2 gives it no limits (NaN) and no sigma signal"),
       qic(month, n, days, data = cdi, chart = "up", part = c(12, 14), exclude = 14,
           return.data = TRUE),
       list(part = c(12, 14), exclude = 14)),
  case("nhs_accidents_pp_last_point_alone", "pp",
       "qic(i, r, n = n, data = nhs_accidents, chart = 'pp', part = 19)",
       "nhs_accidents (data/nhs_accidents.rda); the last part is one point, with no limits",
       qic(i, r, n = n, data = nhs_accidents, chart = "pp", part = 19, return.data = TRUE),
       list(part = 19)),
  case("hospital_infections_up_facets", "up",
       paste("qic(month, n, days, data = hospital_infections, facets = infection ~ hospital,",
             "chart = 'up', multiply = 10000)"),
       "hospital_infections (data/hospital_infections.rda), one series per infection x hospital",
       qic(month, n, days, data = hospital_infections, facets = infection ~ hospital,
           chart = "up", multiply = 10000, return.data = TRUE),
       list(multiply = 10000)),
  case("hospital_infections_pp_facets_part", "pp",
       paste("qic(month, n, days, data = hospital_infections, facets = ~ infection,",
             "chart = 'pp', part = 12)"),
       paste("hospital_infections (data/hospital_infections.rda) summed by infection and month;",
             "infections per risk day read as a proportion"),
       qic(month, n, days, data = hospital_infections, facets = ~ infection, chart = "pp",
           part = 12, return.data = TRUE),
       list(part = 12))
)

payload <- list(
  provenance = list(
    package = "qicharts2",
    version = as.character(packageVersion("qicharts2")),
    repository = "github.com/anhoej/qicharts2",
    commit = commit,
    files = c("R/qic.R", "R/helper.functions.R", "data/nhs_accidents.rda", "data/cabg.rda",
              "data/gtt.rda", "data/hospital_infections.rda", "data/cdi.rda",
              "vignettes/qicharts2.Rmd"),
    script = "tests/unit/stats/reference/make_qicharts2_prime.R",
    r_version = R.version.string,
    jsonlite_version = as.character(packageVersion("jsonlite")),
    date = format(Sys.time(), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"),
    options = list(qic.screenedmr = getOption("qic.screenedmr")),
    note = paste("Computed by running qic(..., return.data = TRUE) of the package named above;",
                 "count and denominator are qic()'s y.sum and n; numbers written with 15",
                 "significant digits; NA written as null.")
  ),
  charts = charts
)
writeLines(toJSON(payload, digits = NA, auto_unbox = TRUE, pretty = 1, na = "null"), output)
