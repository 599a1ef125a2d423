/**
 * The AI module: chat, image, speech and OCR providers behind Puter's driver interfaces. Public here:
 * {@link dev.hearth.ai.AiModule}, the {@link dev.hearth.ai.PromptCompleted} event, and
 * {@link dev.hearth.ai.ProviderHttp}, the provider HTTP client chat shares with {@code dev.hearth.ai.media}.
 */
package dev.hearth.ai;
