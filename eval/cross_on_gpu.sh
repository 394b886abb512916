#!/usr/bin/env bash
# The GPU step of eval/cross_on_gpu.py: the 12 trainings (reader and ranker, five folds and the final model
# each) side by side on one GPU, then one merge. Usage: bash eval/cross_on_gpu.sh BASE_MODEL DATA OUT [SECONDS]
# A training still running after SECONDS (default 480) is left out of the merge, which says so. FOLDS="final"
# trains only the two final models (the pairs to replay, without new out-of-fold logits); PARTS="reader" one part.
set -u
base=$1 data=$2 out=$3 limit=${4:-480}
mkdir -p "$out/logs"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false OMP_NUM_THREADS=1
for part in ${PARTS:-ranker reader}; do
  for fold in ${FOLDS:-0 1 2 3 4 final}; do
    python3 eval/cross_on_gpu.py train --data "$data" --base "$base" --part $part --fold $fold --out "$out" \
      > "$out/logs/$part-$fold.txt" 2>&1 &
  done
done
end=$((SECONDS + limit))
while [ $SECONDS -lt $end ] && [ -n "$(jobs -r)" ]; do sleep 5; done
echo "trainings finished or stopped after $SECONDS s"
python3 eval/cross_on_gpu.py merge --out "$out"
