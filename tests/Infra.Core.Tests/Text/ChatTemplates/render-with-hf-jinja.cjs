// Renders chat templates with the reference renderer, @huggingface/jinja, for the C# parity tests
// (ChatTemplateParityTests). Usage: node render-with-hf-jinja.cjs <node_modules folder> <jobs.json>
// jobs.json: [{chat_template, bos_token, eos_token, messages, add_generation_prompt, date_string}]
// Prints a JSON array, one entry per job: {text} or, when the template raises or fails, {error}.
const fs = require("fs");
const path = require("path");

const [nodeModules, jobsPath] = process.argv.slice(2);
const { Template } = require(path.join(nodeModules, "@huggingface/jinja"));
const jobs = JSON.parse(fs.readFileSync(jobsPath, "utf8"));
const compiled = new Map();

const results = jobs.map((job) => {
    try {
        let template = compiled.get(job.chat_template);
        if (!template) {
            template = new Template(job.chat_template);
            compiled.set(job.chat_template, template);
        }
        // The variables transformers' apply_chat_template passes (no tools, no documents).
        const variables = {
            messages: job.messages,
            add_generation_prompt: job.add_generation_prompt,
            bos_token: job.bos_token,
            eos_token: job.eos_token,
        };
        if (job.date_string != null) variables.date_string = job.date_string;
        return { text: template.render(variables) };
    } catch (e) {
        return { error: String(e && e.message ? e.message : e) };
    }
});
process.stdout.write(JSON.stringify(results));
