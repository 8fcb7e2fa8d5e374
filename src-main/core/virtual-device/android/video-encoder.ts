/** The virtual phone's H.264 encoder, as screenrecord's MediaCodec: one seam, so the encoder behind it can change. */
export { H264Encoder } from './h264/h264-encoder.js';
