// The OpenAI-compatible chat request builder (server engine, batch files) and the response reader.
import { describe, expect, it } from 'vitest'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { DEFAULT_TEMPLATE, askedLabels } from '../../src/node/engines/llm/prompts'
import { answerRequestBuilder, batchRequestLine, schemaFields, versionAtLeast } from '../../src/node/engines/openai/request'
import { ChatResponseError, readChatAnswer } from '../../src/node/engines/openai/response'

const spec = { task: 'classify' as const, labelSet: CHEXPERT14, template: DEFAULT_TEMPLATE, model: 'tiny', maxTokens: 300 }

describe('answerRequestBuilder', () => {
  it('puts the shared prefix first and the report last, greedy, with the schema', () => {
    const b = answerRequestBuilder(spec)
    const one = b.body('Heart is enlarged.')
    const two = b.body('No pneumothorax.')
    expect(one.messages.slice(0, -1)).toEqual(two.messages.slice(0, -1))
    expect(one.messages[0]!.role).toBe('system')
    expect(one.messages[0]!.content).toContain('- Cardiomegaly')
    expect(one.messages.at(-1)).toEqual({ role: 'user', content: 'Report:\nHeart is enlarged.' })
    expect(one.messages).toHaveLength(2 + DEFAULT_TEMPLATE.examples.length * 2)
    expect(one.temperature).toBe(0)
    expect(one.max_tokens).toBe(300)
    expect(one.model).toBe('tiny')
    const rf = one.response_format as { type: string; json_schema: { schema: { properties: { labels: { required: string[] } } } } }
    expect(rf.type).toBe('json_schema')
    expect(rf.json_schema.schema.properties.labels.required).toEqual(askedLabels(CHEXPERT14))
    expect(b.body('x', { maxTokens: 900 }).max_tokens).toBe(900)
  })

  it('speaks each server dialect', () => {
    const llama = answerRequestBuilder({ ...spec, dialect: 'llama-server', lora: { name: 'a.gguf', id: 1, scale: 0.5 } }).body('x')
    expect(llama.json_schema).toBeTypeOf('object')
    expect(llama.response_format).toBeUndefined()
    expect(llama.lora).toEqual([{ id: 1, scale: 0.5 }])
    expect(llama.cache_prompt).toBe(true)
    const vllm = answerRequestBuilder({ ...spec, dialect: 'vllm', serverVersion: '0.11.0', lora: { name: 'site-adapter', scale: 1 } }).body('x')
    expect(vllm.model).toBe('site-adapter')
    expect((vllm.structured_outputs as { json: unknown }).json).toBeTypeOf('object')
    expect(schemaFields({}, 'vllm', '0.8.5')).toEqual({ guided_json: {} })
    expect(Object.keys(schemaFields({}, 'vllm'))).toEqual(['response_format'])
    const sglang = answerRequestBuilder({ ...spec, dialect: 'sglang', lora: { name: 'site-adapter', scale: 1 } }).body('x')
    expect(sglang.lora_path).toBe('site-adapter')
    expect(sglang.model).toBe('tiny')
    expect(() => answerRequestBuilder({ ...spec, dialect: 'llama-server', lora: { name: 'a', scale: 1 } })).toThrow(/adapter id/)
  })

  it('compares versions', () => {
    expect(versionAtLeast('v0.10.2', [0, 10, 2])).toBe(true)
    expect(versionAtLeast('0.10.1rc1', [0, 10, 2])).toBe(false)
    expect(versionAtLeast('1.0', [0, 10, 2])).toBe(true)
    expect(versionAtLeast(undefined, [0, 0, 1])).toBe(false)
  })

  it('writes OpenAI batch lines', () => {
    const line = JSON.parse(batchRequestLine('report-7', answerRequestBuilder(spec).body('x')))
    expect(line).toMatchObject({ custom_id: 'report-7', method: 'POST', url: '/v1/chat/completions' })
    expect(line.body.messages.at(-1).content).toBe('Report:\nx')
  })
})

describe('readChatAnswer', () => {
  it('reads content, finish reason, usage and timings', () => {
    const a = readChatAnswer({
      choices: [{ message: { role: 'assistant', content: '{"a":1}' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
      timings: { predicted_ms: 12.5 }
    })
    expect(a).toEqual({ content: '{"a":1}', finishReason: 'length', promptTokens: 10, completionTokens: 5, timings: { predicted_ms: 12.5 } })
  })
  it('refuses what is not a completion', () => {
    expect(() => readChatAnswer('nope')).toThrow(ChatResponseError)
    expect(() => readChatAnswer({ choices: [] })).toThrow(/no "choices"/)
    expect(() => readChatAnswer({ error: { message: 'model not found' } })).toThrow(/model not found/)
  })
})
