import { defineBackground } from 'wxt/utils/define-background';
import { main } from '../background/main.js';

export default defineBackground(main);
