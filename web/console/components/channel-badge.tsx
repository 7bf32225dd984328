import { useTexts } from '../i18n';

/** The channel a ticket came in on (sms, whatsapp, voice, email, webchat, web), in words. */
export function ChannelBadge({ channel }: { channel: string }) {
  const { word } = useTexts();
  return (
    <span class={`channel channel-${channel}`} data-channel={channel}>
      {word('channel', channel)}
    </span>
  );
}
