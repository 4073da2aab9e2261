#!/usr/bin/env bash
# Queues one array task per fold and a merge job that starts when every task has ended.
# Usage: submit.sh FOLDS [MAX_PARALLEL]
#   FOLDS         folds in the plan: the subject count for --folds loso, K for kfold:K, 1 for holdout
#   MAX_PARALLEL  array tasks that may run at once (default: all)
# The SSDEDGE_* variables that train-fold.sbatch reads must be exported; SSDEDGE_RUN_ID defaults
# to ssdedge-UTC-TIME and is printed, so a later merge or resubmission can reuse it.
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 FOLDS [MAX_PARALLEL]   (FOLDS: a positive fold count)" >&2
    exit 2
fi

for name in SSDEDGE_TRAINER SSDEDGE_DATA SSDEDGE_RUNS_DIR; do
    if [[ -z ${!name:-} ]]; then
        echo "$0: $name is not set; see deploy/cluster/README.md" >&2
        exit 2
    fi
done

folds=$1
parallel=${2:-$folds}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export SSDEDGE_RUN_ID="${SSDEDGE_RUN_ID:-ssdedge-$(date -u +%Y%m%d-%H%M%S)}"

array_job=$(sbatch --parsable --export=ALL --array="1-${folds}%${parallel}" "$here/train-fold.sbatch")
# afterany, not afterok: merge then runs even when a fold failed and names the missing folds.
merge_job=$(sbatch --parsable --export=ALL --dependency="afterany:${array_job}" "$here/merge.sbatch")

echo "run id:     $SSDEDGE_RUN_ID"
echo "fold array: $array_job (${folds} tasks, at most ${parallel} at once)"
echo "merge job:  $merge_job"
echo "results:    $SSDEDGE_RUNS_DIR/$SSDEDGE_RUN_ID"
