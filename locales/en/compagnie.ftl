## General answers

error-internal = Sorry, something went wrong on our side. Please try again in a moment.
refused-not-registered = I don't know you yet: send me /start in a private message to sign up.
