#!/usr/bin/env bash
# Regenerate qicharts2_prime.json and funnelplotr_od.json by running the reference packages.
#
# Run by hand, not by the test suite:
#   bash make_r_references.sh QICHARTS2_GIT_DIR FUNNELPLOTR_GIT_DIR
# Each argument is a git repository (a clone, or a bare mirror) of github.com/anhoej/qicharts2
# and github.com/nhs-r-community/FunnelPlotR; the commits below are checked out of them, built
# and installed into a scratch library. Needs R and, on Debian, the packages
#   r-base-core r-cran-ggplot2 r-cran-dplyr r-cran-scales r-cran-rlang r-cran-ggrepel
#   r-cran-jsonlite
# FunnelPlotR 0.6.0 asks for ggplot2 >= 3.5.2, which Debian 12 does not ship (3.4.1). ggplot2
# only draws its plot, so the script relaxes that requirement and replaces the one function it
# calls that is new in 3.5.2 (is_ggplot, in the object validator) by its older name, is.ggplot.
# The JSON files record both edits, the versions, the commits and the date.
set -euo pipefail

QICHARTS2_COMMIT=1b9487ecb3938d25a8a04578464f960d3a064f64  # qicharts2 0.8.1
FUNNELPLOTR_COMMIT=9020d4972873d863e10b8a16555975f0e322adfc  # FunnelPlotR 0.6.0

if [ $# -ne 2 ]; then
    echo "usage: $0 QICHARTS2_GIT_DIR FUNNELPLOTR_GIT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/lib"

git -C "$1" archive --prefix=qicharts2/ "$QICHARTS2_COMMIT" | tar -x -C "$work"
git -C "$2" archive --prefix=FunnelPlotR/ "$FUNNELPLOTR_COMMIT" | tar -x -C "$work"
sed -i 's/ggplot2 (>= 3.5.2)/ggplot2 (>= 3.4.1)/' "$work/FunnelPlotR/DESCRIPTION"
sed -i 's/ggplot2::is_ggplot(/ggplot2::is.ggplot(/' "$work/FunnelPlotR/R/classes_methods.R"

R CMD INSTALL --no-docs --no-build-vignettes -l "$work/lib" "$work/qicharts2"
R CMD INSTALL --no-docs --no-build-vignettes -l "$work/lib" "$work/FunnelPlotR"

Rscript "$here/make_qicharts2_prime.R" "$work/lib" "$QICHARTS2_COMMIT" \
    "$here/qicharts2_prime.json"
Rscript "$here/make_funnelplotr_od.R" "$work/lib" "$FUNNELPLOTR_COMMIT" \
    "$here/funnelplotr_od.json"
echo "wrote $here/qicharts2_prime.json and $here/funnelplotr_od.json"
