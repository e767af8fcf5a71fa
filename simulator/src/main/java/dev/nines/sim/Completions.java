package dev.nines.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI-compatible request and answer shapes. Pure: parsing and rendering only; the server
 * decides when and whether to answer.
 */
final class Completions {
  static final int DEFAULT_MAX_TOKENS = 16;
  static final int MAX_TOKENS_CAP = 512;

  private static final String[] WORDS = {
    " the", " fleet", " is", " healthy", " and", " every", " GPU", " answers", " on", " time",
    " nines", " keep", " serving", " while", " one", " host", " drains", " quietly", " tokens",
    " flow"
  };

  private Completions() {}

  /**
   * What the server needs from a completion request.
   *
   * @param chat whether it came to /v1/chat/completions
   * @param maxTokens tokens to generate
   * @param lengthLimited whether the caller set max_tokens (the answer then stops at the length)
   * @param promptTokens the prompt's size in (approximate) tokens
   * @param stream whether the caller asked for server-sent events
   */
  record Request(boolean chat, int maxTokens, boolean lengthLimited, int promptTokens,
      boolean stream) {}

  static Request parse(ObjectMapper mapper, String body, boolean chat) {
    JsonNode root;
    try {
      root = mapper.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid request", "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest("invalid request", "body must be a JSON object");
    }
    int prompt;
    if (chat) {
      JsonNode messages = root.get("messages");
      if (messages == null || !messages.isArray() || messages.isEmpty()) {
        throw new BadRequest("invalid request", "messages must be a non-empty array");
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode m : messages) {
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
          text.append(' ').append(content.asText());
        }
      }
      prompt = approximateTokens(text.toString()) + 4 * messages.size();
    } else {
      JsonNode p = root.get("prompt");
      if (p == null || !(p.isTextual() || p.isArray())) {
        throw new BadRequest("invalid request", "prompt must be a string or an array");
      }
      prompt = approximateTokens(p.isTextual() ? p.asText() : p.toString());
    }
    JsonNode max = root.get("max_tokens");
    if ((max == null || max.isNull()) && chat) {
      max = root.get("max_completion_tokens");
    }
    int maxTokens = DEFAULT_MAX_TOKENS;
    boolean limited = false;
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
        throw new BadRequest("invalid request", "max_tokens must be a whole number >= 1 (was "
            + max + ")");
      }
      maxTokens = Math.min(MAX_TOKENS_CAP, max.intValue());
      limited = true;
    }
    JsonNode stream = root.get("stream");
    return new Request(chat, maxTokens, limited, prompt, stream != null && stream.asBoolean(false));
  }

  /** Roughly four tokens for every three words, at least one. */
  static int approximateTokens(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return 1;
    }
    int words = t.split("\\s+").length;
    return Math.max(1, (words * 4 + 2) / 3);
  }

  /** {@code n} fake tokens, chosen by {@code salt} so that answers differ but repeat. */
  static List<String> tokens(long salt, int n) {
    List<String> out = new ArrayList<>(n);
    long x = salt;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      out.add(WORDS[(int) Math.floorMod(x >>> 33, (long) WORDS.length)]);
    }
    return out;
  }

  static String finishReason(Request r) {
    return r.lengthLimited() ? "length" : "stop";
  }

  /** A non-streaming answer in OpenAI's shape. */
  static String answer(ObjectMapper mapper, Request r, String id, String model, long createdS,
      List<String> tokens) {
    ObjectNode root = mapper.createObjectNode();
    root.put("id", id);
    root.put("object", r.chat() ? "chat.completion" : "text_completion");
    root.put("created", createdS);
    root.put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    String text = String.join("", tokens);
    if (r.chat()) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text);
    } else {
      choice.put("text", text);
      choice.putNull("logprobs");
    }
    choice.put("finish_reason", finishReason(r));
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", r.promptTokens());
    usage.put("completion_tokens", tokens.size());
    usage.put("total_tokens", r.promptTokens() + tokens.size());
    return root.toString();
  }

  /** A streaming answer: one server-sent event per token, then the finish and [DONE]. */
  static String sse(ObjectMapper mapper, Request r, String id, String model, long createdS,
      List<String> tokens) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i <= tokens.size(); i++) {
      boolean last = i == tokens.size();
      ObjectNode chunk = mapper.createObjectNode();
      chunk.put("id", id);
      chunk.put("object", r.chat() ? "chat.completion.chunk" : "text_completion");
      chunk.put("created", createdS);
      chunk.put("model", model);
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", 0);
      String piece = last ? "" : tokens.get(i);
      if (r.chat()) {
        ObjectNode delta = choice.putObject("delta");
        if (i == 0) {
          delta.put("role", "assistant");
        }
        if (!last) {
          delta.put("content", piece);
        }
      } else {
        choice.put("text", piece);
      }
      if (last) {
        choice.put("finish_reason", finishReason(r));
        ObjectNode usage = chunk.putObject("usage");
        usage.put("prompt_tokens", r.promptTokens());
        usage.put("completion_tokens", tokens.size());
        usage.put("total_tokens", r.promptTokens() + tokens.size());
      } else {
        choice.putNull("finish_reason");
      }
      out.append("data: ").append(chunk).append("\n\n");
    }
    out.append("data: [DONE]\n\n");
    return out.toString();
  }

  /** An error in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}. */
  static String error(ObjectMapper mapper, String message, String type, int code) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.putNull("param");
    e.put("code", code);
    return root.toString();
  }

  /** The answer of GET /v1/models. */
  static String models(ObjectMapper mapper, String model, long createdS) {
    ObjectNode root = mapper.createObjectNode();
    root.put("object", "list");
    ObjectNode m = root.putArray("data").addObject();
    m.put("id", model);
    m.put("object", "model");
    m.put("created", createdS);
    m.put("owned_by", "nines-sim");
    m.put("root", model);
    m.put("max_model_len", 8192);
    return root.toString();
  }
}
