#!/usr/bin/env python3
"""RadLabel training kit: LoRA fine-tuning of a causal language model on the kit's two tasks.

Written by `radlabel train prepare` next to train.jsonl, validation.jsonl and config.json.
Hugging Face Transformers + PEFT, the seed paper's recipe by default (see config.json): LoRA r 8,
alpha 16 on q_proj and v_proj, learning rate 3e-4, one epoch, effective batch 128 = 2 x 64 gradient
accumulation, bf16 where the device supports it. Loss is computed on the answer only: the prompt is the
exact text the RadLabel `llm` engine sends at inference (its chat format included).

Usage:
    python train.py [--config config.json] [--device cpu|cuda|mps] [--max-steps N] [--base-model DIR]
                    [--output DIR]

Progress is printed as one JSON object per line on stdout ({"event": "step", ...}); anything else goes
to stderr. The adapter (adapter_config.json, adapter_model.safetensors) and training_summary.json are
written into the output folder (default: ./adapter next to this file).
"""
import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def emit(event, **fields):
    fields = {"event": event, **fields}
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def fail(message, hint=""):
    emit("error", message=message, hint=hint)
    sys.exit(2)


def parse_args():
    p = argparse.ArgumentParser(description="LoRA fine-tuning for RadLabel (Transformers + PEFT)")
    p.add_argument("--config", default=str(HERE / "config.json"))
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="auto")
    p.add_argument("--max-steps", type=int, default=None, help="stop after N optimizer steps")
    p.add_argument("--base-model", default=None, help="Hugging Face folder of the base model (overrides config)")
    p.add_argument("--output", default=None, help="where the adapter goes (default: config output_dir)")
    return p.parse_args()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                fail(f"{path} line {n} is not JSON: {e}")
            if "prompt" not in row or "completion" not in row:
                fail(f"{path} line {n} lacks prompt/completion")
            rows.append(row)
    return rows


def main():
    args = parse_args()
    cfg_path = Path(args.config)
    try:
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        fail(f"cannot read the config {cfg_path}: {e}")
    kit = cfg_path.parent
    try:
        import torch
        import transformers
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModelForCausalLM, AutoTokenizer
        import peft
    except ImportError as e:
        fail(f"a Python package is missing: {e.name}", "pip install -r requirements.txt (see README.md)")

    seed = int(cfg.get("seed", 42))
    random.seed(seed)
    torch.manual_seed(seed)

    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else ("mps" if torch.backends.mps.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        fail("--device cuda was asked for but torch sees no CUDA device", "install a CUDA build of torch, or use --device cpu")
    if device == "mps" and not torch.backends.mps.is_available():
        fail("--device mps was asked for but torch has no MPS backend here", "use --device cpu")
    bf16_setting = cfg.get("bf16", "auto")
    bf16_ok = device == "cuda" and torch.cuda.is_bf16_supported()
    use_bf16 = bf16_ok if bf16_setting == "auto" else bool(bf16_setting) and bf16_ok
    dtype = torch.bfloat16 if use_bf16 else torch.float32

    base = args.base_model or cfg.get("base_model")
    if not base:
        fail("no base model: set base_model in config.json or pass --base-model DIR")
    base_path = Path(base)
    if not base_path.is_absolute():
        base_path = (kit / base_path).resolve()
    if not (base_path / "config.json").exists():
        fail(f"{base_path} is not a Hugging Face model folder (no config.json)", "pass --base-model DIR")

    out_dir = Path(args.output or cfg.get("output_dir", "adapter"))
    if not out_dir.is_absolute():
        out_dir = (kit / out_dir).resolve()

    train_rows = load_jsonl(kit / cfg.get("train_file", "train.jsonl"))
    val_rows = load_jsonl(kit / cfg.get("validation_file", "validation.jsonl")) if (kit / cfg.get("validation_file", "validation.jsonl")).exists() else []
    if not train_rows:
        fail("train.jsonl has no examples")

    tok = AutoTokenizer.from_pretrained(str(base_path))
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    max_len = int(cfg.get("max_length", 4096))
    train_on_prompt = bool(cfg.get("train_on_prompt", False))

    def encode(row):
        # The prompt already carries the chat format's special tokens as text: no extra BOS.
        p = tok(row["prompt"], add_special_tokens=False)["input_ids"]
        c = tok(row["completion"], add_special_tokens=False)["input_ids"]
        ids = p + c
        if len(ids) > max_len:
            return None
        labels = (ids[:] if train_on_prompt else [-100] * len(p) + c)
        return {"input_ids": ids, "labels": labels}

    def encode_all(rows):
        out, skipped = [], 0
        for r in rows:
            e = encode(r)
            if e is None:
                skipped += 1
            else:
                out.append(e)
        return out, skipped

    train_set, skipped_train = encode_all(train_rows)
    val_set, skipped_val = encode_all(val_rows)
    if not train_set:
        fail(f"every training example is longer than max_length {max_len} tokens", "raise max_length in config.json")

    model_kwargs = {"dtype": dtype}
    try:
        model = AutoModelForCausalLM.from_pretrained(str(base_path), **model_kwargs)
    except TypeError:
        model = AutoModelForCausalLM.from_pretrained(str(base_path), torch_dtype=dtype)
    if cfg.get("gradient_checkpointing", False):
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    lora = cfg.get("lora", {})
    peft_config = LoraConfig(
        r=int(lora.get("r", 8)),
        lora_alpha=int(lora.get("alpha", 16)),
        lora_dropout=float(lora.get("dropout", 0.05)),
        target_modules=list(lora.get("target_modules", ["q_proj", "v_proj"])),
        bias="none",
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, peft_config)
    model.to(device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total_params = sum(p.numel() for p in model.parameters())

    micro = int(cfg.get("micro_batch_size", 2))
    accum = int(cfg.get("gradient_accumulation_steps", 64))
    epochs = float(cfg.get("epochs", 1))
    per_step = micro * accum
    steps_per_epoch = max(1, math.ceil(len(train_set) / per_step))
    total_steps = max(1, math.ceil(steps_per_epoch * epochs))
    if args.max_steps is not None:
        # A fixed number of optimizer steps (the data is cycled when that is more than the epochs give).
        total_steps = max(1, args.max_steps)
    lr = float(cfg.get("learning_rate", 3e-4))
    warmup = int(cfg.get("warmup_steps", 0))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=float(cfg.get("weight_decay", 0.0)))

    def lr_at(step):  # linear warmup, then linear decay to 0 (Transformers' default schedule)
        if warmup and step < warmup:
            return lr * (step + 1) / warmup
        return lr * max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    def batches(rows, size, shuffle_seed=None):
        order = list(range(len(rows)))
        if shuffle_seed is not None:
            random.Random(shuffle_seed).shuffle(order)
        for i in range(0, len(order), size):
            yield [rows[j] for j in order[i:i + size]]

    def collate(batch):
        width = max(len(b["input_ids"]) for b in batch)
        ids = torch.full((len(batch), width), tok.pad_token_id, dtype=torch.long)
        labels = torch.full((len(batch), width), -100, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for i, b in enumerate(batch):
            n = len(b["input_ids"])
            ids[i, :n] = torch.tensor(b["input_ids"])
            labels[i, :n] = torch.tensor(b["labels"])
            mask[i, :n] = 1
        return ids.to(device), labels.to(device), mask.to(device)

    def micro_batches():
        epoch = 0
        while True:
            for b in batches(train_set, micro, shuffle_seed=seed + epoch):
                yield b
            epoch += 1

    def evaluate():
        if not val_set:
            return None
        model.eval()
        total_loss, total_tokens = 0.0, 0
        limit = int(cfg.get("max_eval_examples", 512))
        with torch.no_grad():
            for b in batches(val_set[:limit], micro):
                ids, labels, mask = collate(b)
                with torch.autocast(device_type=device if device != "mps" else "cpu", dtype=torch.bfloat16, enabled=use_bf16):
                    out = model(input_ids=ids, attention_mask=mask)
                logits = out.logits[:, :-1].float()
                target = labels[:, 1:]
                loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=-100, reduction="sum")
                total_loss += loss.item()
                total_tokens += int((target != -100).sum().item())
        model.train()
        return total_loss / max(1, total_tokens)

    emit(
        "start",
        device=device,
        dtype=str(dtype).replace("torch.", ""),
        base_model=str(base_path),
        train_examples=len(train_set),
        validation_examples=len(val_set),
        skipped_too_long=skipped_train + skipped_val,
        total_steps=total_steps,
        effective_batch=per_step,
        trainable_parameters=trainable,
        parameters=total_params,
        versions={"python": sys.version.split()[0], "torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
    )

    model.train()
    stream = micro_batches()
    started = time.time()
    tokens_seen = 0
    last_loss = None
    losses = []
    eval_every = int(cfg.get("eval_every_steps", 0))
    val_loss = None
    for step in range(total_steps):
        step_start = time.time()
        step_tokens = 0
        step_loss = 0.0
        answer_tokens = 0
        for g in optimizer.param_groups:
            g["lr"] = lr_at(step)
        micro_inputs = [next(stream) for _ in range(accum)]
        n_answer = sum(int(sum(1 for x in b["labels"][1:] if x != -100)) for mb in micro_inputs for b in mb)
        for mb in micro_inputs:
            ids, labels, mask = collate(mb)
            with torch.autocast(device_type=device if device != "mps" else "cpu", dtype=torch.bfloat16, enabled=use_bf16):
                out = model(input_ids=ids, attention_mask=mask)
            logits = out.logits[:, :-1].float()
            target = labels[:, 1:]
            # Token-weighted mean over the whole accumulated batch.
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=-100, reduction="sum") / max(1, n_answer)
            loss.backward()
            step_loss += loss.item()
            step_tokens += int(mask.sum().item())
            answer_tokens += int((target != -100).sum().item())
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], float(cfg.get("max_grad_norm", 1.0)))
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        tokens_seen += step_tokens
        elapsed = time.time() - started
        last_loss = step_loss
        losses.append(step_loss)
        done = step + 1
        if eval_every and done % eval_every == 0 and done < total_steps:
            val_loss = evaluate()
            emit("eval", step=done, val_loss=val_loss)
        emit(
            "step",
            step=done,
            total_steps=total_steps,
            loss=round(step_loss, 6),
            lr=lr_at(step),
            tokens=step_tokens,
            tokens_per_s=round(step_tokens / max(1e-9, time.time() - step_start), 1),
            elapsed_s=round(elapsed, 3),
            eta_s=round(elapsed / done * (total_steps - done), 1),
        )

    val_loss = evaluate()
    if val_loss is not None:
        emit("eval", step=total_steps, val_loss=val_loss)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    wall = time.time() - started
    summary = {
        "format": "radlabel-training-summary",
        "version": 1,
        "kit_dir": str(kit),
        "kit_checksum": sha256_file(kit / "SHA256SUMS") if (kit / "SHA256SUMS").exists() else None,
        "config": cfg,
        "base_model": str(base_path),
        "device": device,
        "dtype": str(dtype).replace("torch.", ""),
        "steps": total_steps,
        "max_steps": args.max_steps,
        "train_examples": len(train_set),
        "validation_examples": len(val_set),
        "final_train_loss": last_loss,
        "final_val_loss": val_loss,
        "train_losses": losses,
        "tokens": tokens_seen,
        "wall_s": round(wall, 3),
        "steps_per_s": round(total_steps / max(1e-9, wall), 4),
        "versions": {"python": sys.version.split()[0], "torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__},
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (out_dir / "training_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    emit("done", adapter_dir=str(out_dir), final_train_loss=last_loss, final_val_loss=val_loss, steps=total_steps, wall_s=round(wall, 3))


if __name__ == "__main__":
    main()
