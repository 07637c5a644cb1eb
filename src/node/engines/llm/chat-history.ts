// The chat history of one report as the llm engine sends it: system prompt, few-shot turns, the report
// as the last user message, and an open model turn. Shared by inference (runtime.ts) and training data
// (training/chat-format.ts), so that a fine-tuned model sees exactly the prompt it will be asked with.
import type { ChatHistoryItem } from 'node-llama-cpp'
import type { RenderedPrompt } from './prompts'

/** System prompt and few-shot turns: identical for every report. */
export function promptPrefix(rendered: RenderedPrompt): ChatHistoryItem[] {
  const prefix: ChatHistoryItem[] = [{ type: 'system', text: rendered.system }]
  for (const turn of rendered.examples) {
    prefix.push(turn.role === 'user' ? { type: 'user', text: turn.text } : { type: 'model', response: [turn.text] })
  }
  return prefix
}

/** The full history of one report; `answer` fills the model turn (training), else it is left open (inference). */
export function reportHistory(prefix: ChatHistoryItem[], userPrefix: string, text: string, answer?: string): ChatHistoryItem[] {
  return [...prefix, { type: 'user', text: userPrefix + text }, { type: 'model', response: answer === undefined ? [] : [answer] }]
}
