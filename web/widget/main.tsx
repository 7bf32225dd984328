import { render } from 'preact';
import { App } from './app.js';
import './styles/widget.css';

const root = document.getElementById('chat');
if (root) render(<App />, root);
